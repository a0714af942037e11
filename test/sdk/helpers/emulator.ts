/** The SDK tests use the shared emulator fixture (test/fixtures/emulator.ts): free port, temp state, control API. */
export { control, linkedUser, respond, startTestEmulator, type Emulator } from '../../fixtures/emulator';

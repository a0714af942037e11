// in-process-emulator.ts: the same flow with an emulator started from code (tests, scripts).
import { startEmulator } from 'passport-truvalidate/emulator';
import { quickStart } from './quick-start';

export async function quickStartInProcess(): Promise<boolean> {
  const emulator = await startEmulator({ port: 0 }); // a free port on 127.0.0.1, state in memory
  try {
    // emulator.url, emulator.organization, emulator.directory and emulator.service: as in credentials.json
    const response = await quickStart(emulator, 'alice');
    return response.authorized;
  } finally {
    await emulator.close();
  }
}

/**
 * `npm start`: starts the TruValidate emulator (unless real credentials are configured) and the example app, and
 * prints where to go first. Environment: see `config.ts` (`PORT`, `TRUVALIDATE_*`, `EMULATOR_PORT`,
 * `EMULATOR_DATA`, `SESSION_SECRET`, `APP_URL`, `REDIS_URL`).
 */
import type { Server } from 'node:http';
import path from 'node:path';
import { startEmulator } from 'passport-truvalidate/emulator';
import { createApp, type ExampleAppConfig } from './app';
import { readEnv } from './config';
import { DIRECTORY_WEBHOOK_PATH } from './routes/directory-webhook';
import { createStores } from './stores';

/** A path relative to the working directory when it is inside it, else absolute. */
function displayPath(dir: string): string {
  const relative = path.relative(process.cwd(), dir);
  return relative.startsWith('..') || path.isAbsolute(relative) ? dir : relative;
}

async function main(): Promise<void> {
  const settings = readEnv(process.env, path.join(__dirname, '..'));
  const stores = await createStores(process.env);
  const closers: Array<() => Promise<void>> = [() => stores.close()];
  let config: ExampleAppConfig;
  let simulatorUrl: string | null = null;

  if (settings.real) {
    config = { ...settings.real, sessionSecret: settings.sessionSecret, simulatorUrl: null, stores };
  } else {
    const emulator = await startEmulator({
      port: settings.emulatorPort,
      host: '127.0.0.1',
      dataDir: settings.emulatorDataDir,
    });
    closers.unshift(() => emulator.close());
    simulatorUrl = `${emulator.url}/_emulator/`;
    emulator.setServiceCallbackUrl(emulator.service.id, `${settings.appUrl}/webhooks/truvalidate`);
    emulator.setDirectoryWebhookUrl(emulator.directory.id, `${settings.appUrl}${DIRECTORY_WEBHOOK_PATH}`);
    config = {
      apiUrl: emulator.url,
      service: emulator.service,
      directory: emulator.directory,
      sessionSecret: settings.sessionSecret,
      simulatorUrl,
      stores,
    };
  }

  const app = createApp(config);
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(settings.port, settings.host, () => resolve(s));
    s.once('error', reject);
  });
  closers.unshift(() => new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  }));

  const lines = [
    '',
    `  TruValidate example app   ${settings.appUrl}`,
    simulatorUrl
      ? `  Device simulator (phone)  ${simulatorUrl}   (emulator data: ${displayPath(settings.emulatorDataDir)})`
      : `  TruValidate API           ${config.apiUrl}`,
    '',
    simulatorUrl
      ? '  First: open the app, sign up with a username, then press "Complete link" in the device simulator.'
      : '  First: open the app and log in with a username linked in your TruValidate directory.',
    '  Stop with Ctrl+C.',
    '',
  ];
  console.log(lines.join('\n'));

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) process.exit(1); // a second Ctrl+C: do not wait
    stopping = true;
    for (const close of closers) await close().catch((error: unknown) => console.error(error));
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(`Could not start the example: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

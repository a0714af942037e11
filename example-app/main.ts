/**
 * `npm start`: starts the TruValidate emulator (unless real credentials are configured) and the example app, and
 * prints where to go first. Environment: see `config.ts` (`PORT`, `TRUVALIDATE_*`, `EMULATOR_PORT`,
 * `EMULATOR_DATA`, `APP_DATA`, `SESSION_SECRET`, `APP_URL`, `TRUST_PROXY`, `REDIS_URL`). Any start-up failure (a
 * port in use, an unreadable key file, ...) exits with status 1 and one line naming the port or file and the
 * variable to change.
 */
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { startEmulator } from 'passport-truvalidate/emulator';
import { createApp, type ExampleAppConfig } from './app';
import { readEnv } from './config';
import { DIRECTORY_WEBHOOK_PATH } from './routes/directory-webhook';
import { fileError, listenError, startupMessage } from './startup-errors';
import { createStores } from './stores';

/** A path relative to the working directory when it is inside it, else absolute. */
function displayPath(dir: string): string {
  const relative = path.relative(process.cwd(), dir);
  return relative.startsWith('..') || path.isAbsolute(relative) ? dir : relative;
}

/** Listens on `port`/`host`, rejecting with the listen error (Express 5's `app.listen` hands it to the callback). */
function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

async function main(): Promise<void> {
  const settings = readEnv(process.env, path.join(__dirname, '..'));
  const stores = await createStores(process.env, settings.appDataDir);
  const closers: Array<() => Promise<void>> = [() => stores.close()];
  let config: ExampleAppConfig;
  let simulatorUrl: string | null = null;

  if (settings.real) {
    config = { ...settings.real, sessionSecret: settings.sessionSecret, simulatorUrl: null, stores };
  } else {
    const emulatorOptions = { port: settings.emulatorPort, host: '127.0.0.1', dataDir: settings.emulatorDataDir };
    const emulator = await startEmulator(emulatorOptions).catch((error: unknown) => {
      // startEmulator wraps a failed listen in an EmulatorStartError whose cause is the listen error.
      const listenFailure = [error, (error as { cause?: unknown }).cause].find(
        (e) => (e as NodeJS.ErrnoException | undefined)?.syscall === 'listen',
      );
      if (listenFailure) {
        throw listenError(listenFailure, {
          what: 'the emulator',
          portVariable: 'EMULATOR_PORT',
          hostVariable: null,
          ...emulatorOptions,
        });
      }
      const dataError =
        (error as { code?: unknown }).code === 'ERR_TRUVALIDATE_EMULATOR_DATA_DIR'
          ? ((error as { cause?: unknown }).cause ?? error)
          : error;
      const code = (dataError as NodeJS.ErrnoException).code;
      throw code ? fileError(dataError, 'EMULATOR_DATA', settings.emulatorDataDir, 'use') : error;
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
  config.appUrl = settings.appUrl;
  config.trustProxy = settings.trustProxy;

  const server = createServer(createApp(config));
  await listen(server, settings.port, settings.host).catch((error: unknown) => {
    throw listenError(error, {
      what: 'the example app',
      portVariable: 'PORT',
      hostVariable: 'HOST',
      host: settings.host,
      port: settings.port,
    });
  });
  closers.unshift(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );

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
  console.error(startupMessage(error));
  process.exit(1);
});

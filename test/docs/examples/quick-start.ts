// quick-start.ts: link a device, log in with a push, start and end the session, against the emulator.
import { readFileSync } from 'node:fs';
import { DirectoryFactory, ServiceFactory, type AdvancedAuthorizationResponse } from 'passport-truvalidate/sdk';

/** The parts of `credentials.json` (or of the object `startEmulator` resolves to) used here. */
export interface EmulatorCredentials {
  url: string;
  directory: { id: string; privateKey: string };
  service: { id: string; privateKey: string };
}

/** Reads the credentials that `npx truvalidate-emulator --data .data/emulator` wrote. */
export function loadCredentials(file = '.data/emulator/credentials.json'): EmulatorCredentials {
  return JSON.parse(readFileSync(file, 'utf8')) as EmulatorCredentials;
}

/** The emulator's control API (plain JSON, no JOSE): what the user's phone would do. */
export async function phone<T>(url: string, path: string, body?: object): Promise<T> {
  const res = await fetch(`${url}/_emulator${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export async function quickStart(
  credentials: EmulatorCredentials,
  user: string,
): Promise<AdvancedAuthorizationResponse> {
  const { url } = credentials;

  // 1. A user needs a linked device: the directory starts linking, the phone "scans" the code.
  const directory = new DirectoryFactory(credentials.directory.id, credentials.directory.privateKey, {
    url,
  }).makeDirectoryClient();
  const link = await directory.linkDevice(user); // { qrcode, code, deviceId }
  await phone(url, '/devices/link', { code: link.code });

  // 2. The service asks the user to approve a login.
  const service = new ServiceFactory(credentials.service.id, credentials.service.privateKey, {
    url,
  }).makeServiceClient();
  const request = await service.authorizationRequest(user, {
    title: 'Sign in',
    context: 'Sign in to example.com',
    ttl: 120,
  });

  // 3. The phone lists its pending requests and approves ours.
  const pending = await phone<Array<{ authRequestId: string }>>(url, `/auths?user=${encodeURIComponent(user)}`);
  if (!pending.some((p) => p.authRequestId === request.authRequest))
    throw new Error('the request did not reach the phone');
  await phone(url, `/auths/${request.authRequest}/respond`, { action: 'approve' });

  // 4. Poll for the answer: null while the user has not answered (or use the webhook, see "Webhooks").
  let response = await service.getAdvancedAuthorizationResponse(request.authRequest);
  for (let attempt = 0; response === null && attempt < 60; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    response = await service.getAdvancedAuthorizationResponse(request.authRequest);
  }
  if (response === null) throw new Error('no answer within a minute');

  // 5. Authorized: record the session (the user sees it on the phone), and end it at logout.
  if (response.authorized) {
    await service.sessionStart(user, request.authRequest);
    await service.sessionEnd(user);
  }
  return response;
}

import type { sdk, TruValidateEvent } from 'passport-truvalidate';

/**
 * In emulator mode, the console line telling the developer why no push went out (or why a request was refused),
 * from the strategy's `onEvent`: an unknown user, a user with no linked device, a limit, a cross-site request.
 * Null for events that need no explanation (a push sent, a login completed...). Never used against the real API:
 * there the reason must not be shown anywhere a visitor could learn from it.
 */
export function explainEvent(event: TruValidateEvent): string | null {
  const who = event.username === undefined ? 'a login' : `"${event.username}"`;
  const reason = event.reason ?? '';
  if (event.type === 'decoyed') {
    if (reason.startsWith('no_device')) {
      return (
        `No push sent to ${who}: the user has no linked device. Complete the link in the device simulator ` +
        '(or sign up again).'
      );
    }
    if (reason.startsWith('unknown_user')) {
      return (
        `No push sent to ${who}: no such user in the directory. Sign up first (names are lower-cased), or check ` +
        'the spelling. The browser waits as for a real push, so that names cannot be probed.'
      );
    }
    return `No push sent to ${who} (${reason || 'decoy'}); the browser waits as for a real push.`;
  }
  if (event.type === 'limited') {
    if (reason.startsWith('push_limit'))
      return `No push sent to ${who}: over the push limit (5 a minute per username); the answer was 429.`;
    if (reason.startsWith('client_limit'))
      return `No push sent to ${who}: this client is over its limit of login attempts; the answer was 429.`;
    if (reason.startsWith('totp_limit'))
      return `TOTP attempt for ${who} refused: over the TOTP limit; the answer was 429.`;
    return `Refused for ${who}: over a limit (${reason}); the answer was 429.`;
  }
  if (event.type === 'refused') {
    return `Refused ${event.username === undefined ? 'a request' : `a request for ${who}`}: ${reason || 'refused'}.`;
  }
  return null;
}

/**
 * {@link explainEvent}, made precise with the directory when there is one: the API answers "not found" alike for
 * an unknown user and for a user whose devices are all still waiting to be linked, so a decoy is told apart here
 * (emulator mode only) by the user's device list.
 */
export async function explainEventWithDirectory(
  event: TruValidateEvent,
  directory: sdk.DirectoryClient | null,
): Promise<string | null> {
  if (event.type !== 'decoyed' || !directory || event.username === undefined) return explainEvent(event);
  const devices = await directory.getLinkedDevices(event.username).catch(() => null);
  if (devices === null) return explainEvent(event);
  const linked = devices.some((d) => d.status.statusCode === 'LINKED');
  const reason = devices.length === 0 ? 'unknown_user' : linked ? event.reason : 'no_device';
  return explainEvent(reason === undefined ? event : { ...event, reason });
}

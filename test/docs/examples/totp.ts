// totp.ts: give a user a TOTP secret for an authenticator app, then check the codes they type.
import type { DirectoryClient, ServiceClient } from 'passport-truvalidate/sdk';

/** Creates (or replaces) the user's TOTP secret; the otpauth:// URI goes into a QR code for the app. */
export async function enrollTotp(directory: DirectoryClient, user: string, issuer = 'Example'): Promise<string> {
  const totp = await directory.generateUserTotp(user); // { secret, algorithm, period, digits }
  const params = new URLSearchParams({
    secret: totp.secret,
    issuer,
    algorithm: totp.algorithm,
    digits: String(totp.digits),
    period: String(totp.period),
  });
  return `otpauth://totp/${encodeURIComponent(issuer)}:${encodeURIComponent(user)}?${params.toString()}`;
}

/** True when the code is valid now; a user without TOTP is `EntityNotFound`. */
export async function checkTotp(service: ServiceClient, user: string, code: string): Promise<boolean> {
  return service.verifyTotp(user, code);
}

/** Removes the user's TOTP secret (succeeds when there is none). */
export async function disableTotp(directory: DirectoryClient, user: string): Promise<void> {
  await directory.removeUserTotp(user);
}

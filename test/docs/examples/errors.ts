// errors.ts: tell the failures of an authorization request apart.
import {
  AuthorizationInProgress,
  EntityNotFound,
  LaunchKeyAPIException,
  LaunchKeyError,
  type ServiceClient,
} from 'passport-truvalidate/sdk';

export async function requestLogin(service: ServiceClient, user: string): Promise<string> {
  try {
    const request = await service.authorizationRequest(user, { context: 'Sign in', ttl: 120 });
    return `sent ${request.authRequest}`;
  } catch (err) {
    if (err instanceof AuthorizationInProgress) {
      // SVC-005 (HTTP 409): another request is pending; which one, and until when:
      return (
        `busy with ${err.authorizationRequestId} until ` +
        `${err.expires?.toISOString()} (same service: ${err.fromSameService})`
      );
    }
    if (err instanceof EntityNotFound) return 'unknown user, or no linked device'; // HTTP 404
    if (err instanceof LaunchKeyAPIException)
      return `API error ${err.errorCode} (HTTP ${err.statusCode}): ${err.message}`;
    if (err instanceof LaunchKeyError) return `SDK error ${err.code}: ${err.message}`;
    throw err;
  }
}

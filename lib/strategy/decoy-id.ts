/**
 * Ids of decoy logins: version-1 (time-based) UUIDs, the form the TruValidate API gives authorization requests,
 * so that a decoy's id (`strategy.pendingLogin(req).authRequestId`) cannot be told from a real one.
 */
export { uuidV1 as decoyRequestId } from '../sdk/uuid-v1';

import { sdk } from 'passport-truvalidate';

/**
 * The denial reasons the example offers on the phone (at least one fraud and one non-fraud reason, as the API
 * requires). The status route answers the id the user picked; the waiting page shows its text.
 */
export const DENIAL_REASONS: readonly sdk.DenialReason[] = Object.freeze([
  new sdk.DenialReason('not-now', 'I did not mean to log in right now', false),
  new sdk.DenialReason('wrong-place', 'I do not recognise this website', false),
  new sdk.DenialReason('not-me', 'Someone else is trying to log in as me', true),
]);

/** The text of each denial reason of {@link DENIAL_REASONS}, by id (what the waiting page shows). */
export const DENIAL_REASON_TEXTS: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries(DENIAL_REASONS.map((r) => [r.denialId, r.reason])),
);

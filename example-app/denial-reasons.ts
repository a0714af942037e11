import { sdk } from 'passport-truvalidate';

/**
 * The denial reasons the example offers on the phone (at least one fraud and one non-fraud reason, as the API
 * requires). The waiting page shows the text of the one the user picked.
 */
export const DENIAL_REASONS: readonly sdk.DenialReason[] = Object.freeze([
  new sdk.DenialReason('not-now', 'I did not mean to log in right now', false),
  new sdk.DenialReason('wrong-place', 'I do not recognise this website', false),
  new sdk.DenialReason('not-me', 'Someone else is trying to log in as me', true),
]);

/** The text of a denial reason id of {@link DENIAL_REASONS}, or null. */
export function denialReasonText(id: string | null | undefined): string | null {
  return DENIAL_REASONS.find((r) => r.denialId === id)?.reason ?? null;
}

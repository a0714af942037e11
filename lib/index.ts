/**
 * `passport-truvalidate`: the Passport strategy for TruValidate MFA, its stores and errors. The SDK is available
 * as the `sdk` namespace here and as `passport-truvalidate/sdk`.
 */
export * as sdk from './sdk';
export * from './strategy';

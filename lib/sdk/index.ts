/**
 * `passport-truvalidate/sdk`: the embedded TypeScript port of the TruValidate (LaunchKey) Python SDK 4.0.
 * Factories, clients, entities, policies, errors and constants (docs/protocol.md Appendix A).
 */
export * from './constants';
export * from './errors';
export * from './transport';
export * from './factories';
export * from './clients';
export * from './entities';
export * from './policies';
export * from './webhooks';

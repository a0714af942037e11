/** Barrel of the factories. */
export * from './base-factory';
export * from './organization-factory';
export * from './directory-factory';
export * from './service-factory';

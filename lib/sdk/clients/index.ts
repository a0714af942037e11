/** Barrel of the clients. */
export * from './base-client';
export * from './service-managing-base-client';
export * from './organization-client';
export * from './directory-client';
export * from './service-client';

/** Barrel of the clients. */
export * from './base-client';

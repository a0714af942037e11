/** Barrel of the JOSE transport. */
export * from './types';
export { keyId } from './keys';

// Barrel of the Passport layer (filled in as the modules land).
export * from './stores/store';

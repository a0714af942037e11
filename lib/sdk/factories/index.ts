// Barrel of lib/sdk/factories (filled in as the modules land).
export {};

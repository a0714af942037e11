// Barrel of lib/sdk/entities (filled in as the modules land).
export {};

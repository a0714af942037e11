// Barrel of lib/sdk/policies (filled in as the modules land).
export {};

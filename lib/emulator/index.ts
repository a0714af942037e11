// Barrel of the emulator (filled in as the modules land).
export {};

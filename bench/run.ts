/**
 * `npm run bench`: runs every `bench/*.bench.ts` module in turn (each exports `run(): Promise<string[]>` returning
 * summary lines) and prints their lines; the SDK benchmark (`sdk-call.bench.ts`) runs last so that its ratio line
 * is the last line printed.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

interface BenchModule {
  run(): Promise<string[]>;
}

const SDK_BENCH = 'sdk-call.bench.ts';

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
    .sort((a, b) => Number(a === SDK_BENCH) - Number(b === SDK_BENCH) || a.localeCompare(b));
  let failed = false;
  for (const file of files) {
    console.log(`# ${file}`);
    try {
      const mod = (await import(join(__dirname, file))) as BenchModule;
      for (const line of await mod.run()) console.log(line);
    } catch (err) {
      failed = true;
      console.error(`${file} failed:`, err);
    }
  }
  if (failed) process.exitCode = 1;
}

void main();

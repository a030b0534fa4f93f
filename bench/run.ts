/**
 * Benchmark dispatcher: `npm run bench -- <name> [args]` runs bench/<name>.ts; with no name, every bench/*.ts
 * except this file, one after another. Each benchmark exports `run(args: string[]): Promise<void>`.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

interface BenchModule {
  run(args: string[]): Promise<void>;
}

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'))
  .map((f) => f.slice(0, -3))
  .sort();

async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  const names = first === undefined || first.startsWith('-') ? available : [first];
  const args = first === undefined || first.startsWith('-') ? argv : rest;
  for (const name of names) {
    if (!available.includes(name)) {
      process.stderr.write(`unknown benchmark "${name}"; available: ${available.join(', ') || '(none)'}\n`);
      return 2;
    }
  }
  for (const name of names) {
    const mod = (await import(pathToFileURL(join(here, `${name}.ts`)).href)) as Partial<BenchModule>;
    if (typeof mod.run !== 'function') {
      process.stderr.write(`bench/${name}.ts does not export run(args)\n`);
      return 2;
    }
    process.stdout.write(`== bench ${name}\n`);
    await mod.run(args);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);

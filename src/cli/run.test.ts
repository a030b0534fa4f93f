import { PassThrough } from 'node:stream';
import { parseArgs } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { Command } from './command.js';
import { UsageError } from './command.js';
import { commands } from './commands/index.js';
import { captureIo, tempDirWith } from './csv/testing/io.js';
import { runCli } from './run.js';

function io() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += String(d)));
  stderr.on('data', (d) => (err += String(d)));
  return { io: { stdout, stderr, env: {}, cwd: process.cwd() }, out: () => out, err: () => err };
}

const strict: Command = {
  name: 'demo sub',
  summary: 'a command that parses one option',
  help: 'Usage: tradewind demo sub [--n <x>]',
  async run(argv) {
    const { values } = parseArgs({ args: [...argv], options: { n: { type: 'string' } }, strict: true });
    if (values.n === 'bad') throw new UsageError('--n is bad');
    if (values.n === 'crash') throw new Error('boom');
    return 0;
  },
};

describe('runCli', () => {
  it('dispatches multi-word commands and prints help', async () => {
    const t = io();
    expect(await runCli(['demo', 'sub', '--n', 'x'], t.io, [strict])).toBe(0);
    expect(await runCli(['demo', 'sub', '--help'], t.io, [strict])).toBe(0);
    expect(t.out()).toMatch(/Usage: tradewind demo sub/);
    expect(await runCli(['--help'], t.io, [strict])).toBe(0);
    expect(await runCli([], t.io, [strict])).toBe(2);
    expect(await runCli(['nope'], t.io, [strict])).toBe(2);
  });

  it('turns parseArgs option errors and UsageError into exit code 2 with the message, and rethrows the rest', async () => {
    const t = io();
    expect(await runCli(['demo', 'sub', '--bogus'], t.io, [strict])).toBe(2);
    expect(t.err()).toMatch(/tradewind demo sub: .*--bogus/);
    expect(await runCli(['demo', 'sub', '--n'], t.io, [strict])).toBe(2);
    expect(await runCli(['demo', 'sub', '--n', 'bad'], t.io, [strict])).toBe(2);
    expect(t.err()).toMatch(/--n is bad/);
    await expect(runCli(['demo', 'sub', '--n', 'crash'], t.io, [strict])).rejects.toThrow('boom');
  });

  // Per registered command, an option that takes a value, given last without one; null: the command takes no options.
  const valueOption: Readonly<Record<string, string | null>> = {
    start: '--config',
    replay: '--capture',
    record: '--out',
    'data download': '--symbol',
    bars: '--input',
    book: '--input',
    resample: '--input',
    indicators: '--input',
    sim: '--port',
    'data import': '--venue',
    'data export': '--instrument',
    'db migrate': null,
    'db maintain': '--now',
  };

  // Option parsing comes before any server, feed or database: a bad option stops every command there.
  it.each(commands.map((c) => c.name))('%s: exit 2 naming an unknown option or a missing option value', async (name) => {
    expect(Object.hasOwn(valueOption, name), `add ${JSON.stringify(name)} to valueOption`).toBe(true);
    const dir = tempDirWith({});
    const bogus = captureIo(dir);
    expect(await runCli([...name.split(' '), '--bogus-option'], bogus)).toBe(2);
    expect(bogus.err()).toMatch(new RegExp(`^tradewind ${name}: .*--bogus-option`));
    expect(bogus.out()).toBe('');
    const option = valueOption[name];
    if (option === null) return;
    const missing = captureIo(dir);
    expect(await runCli([...name.split(' '), option], missing)).toBe(2);
    expect(missing.err()).toMatch(new RegExp(`^tradewind ${name}: .*${option}.*argument missing`));
    expect(missing.out()).toBe('');
  });
});

import type { Command, CommandIo } from './command.js';
import { ExitCode, UsageError } from './command.js';
import { commands as allCommands } from './commands/index.js';

function isParseArgsError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

function topHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length), 4);
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'Usage: tradewind <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `tradewind <command> --help` for the options of one command.',
    '',
  ].join('\n');
}

/** Dispatches `argv` (without node and script) to a command and returns the exit code. */
export async function runCli(argv: readonly string[], io: CommandIo, commands: readonly Command[] = allCommands): Promise<number> {
  const [name] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(topHelp(commands));
    return name === undefined ? ExitCode.BadInput : ExitCode.Ok;
  }
  // Commands may have sub-commands (`data import`): the longest matching name wins.
  const candidates = commands
    .filter((c) => {
      const parts = c.name.split(' ');
      return parts.every((p, i) => argv[i] === p);
    })
    .sort((a, b) => b.name.length - a.name.length);
  const command = candidates[0];
  if (command === undefined) {
    io.stderr.write(`tradewind: unknown command ${JSON.stringify(name)}\n\n${topHelp(commands)}`);
    return ExitCode.BadInput;
  }
  const args = argv.slice(command.name.split(' ').length);
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(command.help.endsWith('\n') ? command.help : `${command.help}\n`);
    return ExitCode.Ok;
  }
  try {
    return await command.run(args, io);
  } catch (err) {
    // An unknown or malformed option from node:util parseArgs is bad usage too, whichever command parsed it.
    if (err instanceof UsageError || isParseArgsError(err)) {
      io.stderr.write(`tradewind ${command.name}: ${(err as Error).message}\n`);
      return ExitCode.BadInput;
    }
    throw err;
  }
}

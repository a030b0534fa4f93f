import type { Writable } from 'node:stream';

/** Where a command writes: injected so that tests can capture output. */
export interface CommandIo {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

/** One `tradewind <name>` command. `run` returns the process exit code. */
export interface Command {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** Full `--help` text: usage, options, examples. */
  readonly help: string;
  run(argv: readonly string[], io: CommandIo): Promise<number>;
}

/** Exit codes: 0 success, 1 runtime failure, 2 bad usage or bad input. */
export const ExitCode = { Ok: 0, Failure: 1, BadInput: 2 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A usage or input error that the command line reports as a message with exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

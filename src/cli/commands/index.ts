import type { Command } from '../command.js';
import { dataDownloadCommand } from './data-download.js';
import { barsCommand } from './bars.js';
import { bookCommand } from './book.js';
import { simCommand } from './sim.js';
import { resampleCommand } from './resample.js';
import { indicatorsCommand } from './indicators.js';

/** Every `tradewind` command. Add new ones here, one import each. */
export const commands: readonly Command[] = [
  dataDownloadCommand,
  barsCommand,
  bookCommand,
  simCommand,
  resampleCommand,
  indicatorsCommand,
];

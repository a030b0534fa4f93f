import type { Command } from '../command.js';
import { dataDownloadCommand } from './data-download.js';

/** Every `tradewind` command. Add new ones here, one import each. */
export const commands: readonly Command[] = [
  dataDownloadCommand,
];

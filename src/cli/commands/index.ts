import type { Command } from '../command.js';
import { startCommand } from './start.js';
import { replayCommand } from './replay.js';
import { recordCommand } from './record.js';
import { dataDownloadCommand } from './data-download.js';
import { barsCommand } from './bars.js';
import { bookCommand } from './book.js';
import { resampleCommand } from './resample.js';
import { indicatorsCommand } from './indicators.js';
import { simCommand } from './sim.js';
import { dataExportCommand } from './data-export.js';
import { dataImportCommand } from './data-import.js';
import { dbMaintainCommand, dbMigrateCommand } from './db-migrate.js';

/** Every `tradewind` command. Add new ones here, one import each. */
export const commands: readonly Command[] = [
  startCommand,
  replayCommand,
  recordCommand,
  dataDownloadCommand,
  barsCommand,
  bookCommand,
  resampleCommand,
  indicatorsCommand,
  simCommand,
  dataImportCommand,
  dataExportCommand,
  dbMigrateCommand,
  dbMaintainCommand,
];

import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ArchiveDownloadError, DEFAULT_ARCHIVE_URL, downloadBinanceArchive } from '../../adapters/historical/binance-archive-download.js';
import type { Command } from '../command.js';
import { ExitCode, UsageError } from '../command.js';

const help = `Usage: tradewind data download --venue binance --symbol <SYMBOL> --kind <klines|trades|aggTrades>
                               [--interval <1m|1h|1d|...>] --from <YYYY-MM-DD> --to <YYYY-MM-DD>
                               [--market spot|futures] [--out <dir>] [--base-url <url>]

Downloads daily files from the Binance public data archive into <dir> in the archive's own layout
(data/spot/daily/klines/BTCUSDT/1m/BTCUSDT-1m-2024-01-01.zip, ...). Every file is checked against the
SHA-256 in the .CHECKSUM file published beside it; a file whose checksum does not match is removed.
An interrupted download resumes where it stopped (HTTP Range), and files already present and verified
are not fetched again. Days the archive does not have are listed and skipped.

Options:
  --venue      binance (the only archive supported)
  --symbol     venue symbol, e.g. BTCUSDT
  --kind       klines, trades or aggTrades
  --interval   kline interval (required for klines)
  --from, --to first and last UTC day, inclusive
  --market     spot (default) or futures (USD-M)
  --out        destination folder (default: $TRADEWIND_HOME/archive, i.e. ./var/archive)
  --base-url   archive address (default: $TRADEWIND_BINANCE_ARCHIVE_URL or ${DEFAULT_ARCHIVE_URL})

Exit code 0 when every day was downloaded, present or absent from the archive (and at least one day
exists), 1 when a download failed or no day exists, 2 on bad usage.`;

export const dataDownloadCommand: Command = {
  name: 'data download',
  summary: 'download Binance public archive files with checksum verification and resume',
  help,
  async run(argv, io) {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        venue: { type: 'string' },
        symbol: { type: 'string' },
        kind: { type: 'string' },
        interval: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        market: { type: 'string', default: 'spot' },
        out: { type: 'string' },
        'base-url': { type: 'string' },
      },
      strict: true,
    });
    if (values.venue !== 'binance') throw new UsageError(`--venue must be binance, got ${JSON.stringify(values.venue)}`);
    for (const name of ['symbol', 'kind', 'from', 'to'] as const) {
      if (values[name] === undefined) throw new UsageError(`--${name} is required`);
    }
    const kind = values.kind as string;
    if (kind !== 'klines' && kind !== 'trades' && kind !== 'aggTrades') throw new UsageError(`--kind must be klines, trades or aggTrades: ${kind}`);
    if (values.market !== 'spot' && values.market !== 'futures') throw new UsageError(`--market must be spot or futures: ${values.market}`);
    const outDir = resolve(io.cwd, values.out ?? resolve(io.env.TRADEWIND_HOME ?? './var', 'archive'));
    let outcomes;
    try {
      outcomes = await downloadBinanceArchive({
        symbol: values.symbol as string,
        kind,
        interval: values.interval,
        market: values.market,
        from: values.from as string,
        to: values.to as string,
        outDir,
        baseUrl: values['base-url'] ?? io.env.TRADEWIND_BINANCE_ARCHIVE_URL ?? DEFAULT_ARCHIVE_URL,
        onFile: (o) => {
          const line =
            o.status === 'downloaded'
              ? `downloaded ${o.path} (${o.bytes} bytes${o.resumedFrom > 0 ? `, resumed at ${o.resumedFrom}` : ''}, checksum ok)`
              : o.status === 'present'
                ? `present    ${o.path} (checksum ok)`
                : o.status === 'missing'
                  ? `missing    ${o.url} (not in the archive)`
                  : `FAILED     ${o.url}: ${o.reason}`;
          (o.status === 'failed' ? io.stderr : io.stdout).write(`${line}\n`);
        },
      });
    } catch (err) {
      if (err instanceof ArchiveDownloadError) throw new UsageError(err.message);
      throw err;
    }
    const failed = outcomes.filter((o) => o.status === 'failed').length;
    const have = outcomes.filter((o) => o.status === 'downloaded' || o.status === 'present').length;
    io.stdout.write(`${have} of ${outcomes.length} days in ${outDir}${failed > 0 ? `, ${failed} failed` : ''}\n`);
    return failed > 0 || have === 0 ? ExitCode.Failure : ExitCode.Ok;
  },
};

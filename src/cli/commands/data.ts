import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import cliProgress from 'cli-progress';
import { loadConfig } from '../../config.js';
import { fetchData, type FetchEvent } from '../../ingest/fetch/fetchData.js';
import { readDataManifest } from '../../ingest/fetch/readDataManifest.js';

/** The manifest shipped at the package root (same relative place from `src/` and `dist/`). */
export const DEFAULT_MANIFEST = fileURLToPath(new URL('../../../data-sources.json', import.meta.url));

interface FetchFlags {
  dataDir?: string;
  manifest: string;
  force?: boolean;
  allowUnpinned?: boolean;
  optional?: boolean;
  only?: string[];
  timeout: number;
}

function manifestOption(): Option {
  return new Option('--manifest <file>', 'manifest of sources').default(DEFAULT_MANIFEST, "the package's data-sources.json");
}

function positiveSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number of seconds');
  return n;
}

function nameList(value: string): string[] {
  return value.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 ** 2).toFixed(1)} MiB`;
}

/** Prints fetch events on stderr: a byte progress bar on a terminal, plain lines otherwise. */
function eventPrinter(): { onEvent: (e: FetchEvent) => void; stop: () => void } {
  const tty = process.stderr.isTTY === true;
  let bar: cliProgress.SingleBar | null = null;
  const stop = (): void => {
    bar?.stop();
    bar = null;
  };
  const line = (text: string): void => {
    stop();
    process.stderr.write(`${text}\n`);
  };
  const onEvent = (e: FetchEvent): void => {
    switch (e.type) {
      case 'up-to-date':
        line(`${e.source}: up to date (${e.files} file${e.files === 1 ? '' : 's'} verified)`);
        break;
      case 'download':
        line(`${e.source}: downloading ${e.url}`);
        break;
      case 'progress':
        if (!tty) break;
        if (bar === null) {
          bar = new cliProgress.SingleBar(
            { format: `  {bar} {value}/{total} KiB`, stream: process.stderr, hideCursor: true, clearOnComplete: true },
            cliProgress.Presets.shades_classic,
          );
          bar.start(Math.ceil((e.total ?? e.received) / 1024), 0);
        }
        if (e.total === null) bar.setTotal(Math.ceil(e.received / 1024));
        bar.update(Math.ceil(e.received / 1024));
        break;
      case 'verified':
        line(
          e.pinned
            ? `${e.source}: SHA-256 verified (${formatBytes(e.bytes)})`
            : `${e.source}: WARNING not verified (no pinned checksum); it had SHA-256 ${e.sha256} (${formatBytes(e.bytes)}): pin it in the manifest`,
        );
        break;
      case 'staged':
        line(`${e.source}: extracted ${e.files} file${e.files === 1 ? '' : 's'}`);
        break;
      case 'installed':
        line(`${e.source}: installed`);
        break;
      case 'derived':
        line(`${e.name}: ${e.target} ${e.status} (${e.detail})`);
        break;
    }
  };
  return { onEvent, stop };
}

async function runFetch(flags: FetchFlags): Promise<void> {
  const dataDir = path.resolve(flags.dataDir ?? loadConfig().dataDir);
  const manifest = await readDataManifest(path.resolve(flags.manifest));
  const printer = eventPrinter();
  try {
    const report = await fetchData({
      dataDir,
      manifest,
      force: flags.force === true,
      allowUnpinned: flags.allowUnpinned === true,
      includeOptional: flags.optional === true,
      only: flags.only,
      timeoutMs: Math.round(flags.timeout * 1000),
      onEvent: printer.onEvent,
    });
    printer.stop();
    const fetched = report.sources.filter((s) => s.status === 'fetched').length;
    const files = report.sources.reduce((n, s) => n + s.files, 0);
    process.stdout.write(
      `data fetch: ${report.dataDir}: ${fetched} source(s) fetched, ${report.sources.length - fetched} already up to date, ${files} file(s) verified\n`,
    );
  } finally {
    printer.stop();
  }
}

/** `icdkg data fetch` and `icdkg data sources`: get the public data sets into ICDKG_DATA_DIR. */
export function register(program: Command): void {
  const data = program
    .command('data')
    .description('manage the data folder (ICDKG_DATA_DIR): download and verify the public data sets');

  data
    .command('fetch')
    .description(
      'download the public RuCCoD release and the МКБ-10 reference into the data folder, verifying SHA-256 checksums; ' +
        'what is present and verified is left alone',
    )
    .option('--data-dir <dir>', 'data folder (default: $ICDKG_DATA_DIR or ./data)')
    .addOption(manifestOption())
    .option('--force', 're-download and replace everything selected, even when present and verified')
    .option('--allow-unpinned', 'also download sources whose checksum is not pinned in the manifest (prints their hash)')
    .option('--optional', 'also fetch optional sources (RuMedTop3)')
    .option('--only <names>', 'comma-separated source names to fetch (see `icdkg data sources`)', nameList)
    .option('--timeout <seconds>', 'time limit per download', positiveSeconds, 600)
    .addHelpText('after', '\nExample:\n  $ icdkg data fetch --data-dir ./data --allow-unpinned\n')
    .action(async (flags: FetchFlags) => {
      await runFetch(flags);
    });

  data
    .command('sources')
    .description('list the sources of the manifest: name, format, whether the checksum is pinned, target')
    .addOption(manifestOption())
    .action(async (flags: { manifest: string }) => {
      const manifest = await readDataManifest(path.resolve(flags.manifest));
      for (const s of manifest.sources) {
        const target = s.format === 'file' ? s.target! : [...new Set(s.members.map((m) => m.to))].join(' ');
        const pin = s.sha256 === null ? 'UNPINNED' : 'pinned';
        process.stdout.write(`${s.name}\t${s.format}\t${pin}${s.optional ? '\toptional' : ''}\t${target}\n`);
      }
      for (const d of manifest.derived) process.stdout.write(`${d.name}\tderived\t-\t${d.target}\n`);
    });
}

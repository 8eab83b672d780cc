import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { journalMaintenance } from '../../createStore.js';


/** Registers `icdkg journal check|compact|set-aside|truncate` (the embedded store's write journal). */
export function register(program: Command): void {
  const journal = program.command('journal').description("The embedded store's write journal (ICDKG_JOURNAL_DIR): check, compact, set aside, repair");
  journal
    .command('check')
    .description('Read the journal through (checksums, records, data versions) without starting anything')
    .action(async () => {
      const r = await journalMaintenance(loadConfig()).check();
      process.stdout.write(
        `${r.file}: ${r.records} records, ${r.bytes} bytes, written against data version ${r.versions.join(', ') || '(none)'}; the data is version ${r.dataVersion}${r.tornBytes > 0 ? `; a last line of ${r.tornBytes} bytes without its newline (a write in progress or torn by a crash) is not read` : ''}\n`,
      );
    });
  journal
    .command('compact')
    .description('Rewrite the journal as one snapshot of its net effect (atomic; done automatically past 256 MiB)')
    .action(async () => {
      const r = await journalMaintenance(loadConfig()).compact();
      process.stdout.write(`compacted the journal: ${r.before} -> ${r.after} bytes, ${r.records} records\n`);
    });
  journal
    .command('set-aside')
    .description('Move the journal aside (kept as memory-journal.jsonl.set-aside-<time>) so the store starts without its writes')
    .action(() => {
      const aside = journalMaintenance(loadConfig()).setAside();
      process.stdout.write(aside === null ? 'no journal to set aside\n' : `journal moved to ${aside}\n`);
    });
  journal
    .command('truncate')
    .description('Drop a damaged record and every later one (the dropped bytes are kept in memory-journal.jsonl.dropped-<time>)')
    .requiredOption('--at-line <n>', 'the line the damaged record starts at (as the start-up error names it)', Number)
    .action((flags: { atLine: number }) => {
      const r = journalMaintenance(loadConfig()).truncate(flags.atLine);
      process.stdout.write(r.droppedTo === null ? `nothing after line ${flags.atLine - 1}\n` : `kept ${r.keptLines} lines; ${r.droppedBytes} bytes moved to ${r.droppedTo}\n`);
    });
}

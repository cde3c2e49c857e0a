/** A lake holding the corpus's small reference set (night 2026-02-01), and ingest deps over a folder, for ingest tests. */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDbEngine } from '../../functions/adapters/duckdb.ts';
import { LocalFolderStore } from '../../functions/adapters/local-folder.ts';
import { ingestNights, type IngestDeps } from '../../functions/pipeline/ingest.ts';
import { pendingNights } from '../../functions/pipeline/landing.ts';
import type { Clock, ObjectStore, ParquetWriter } from '../../functions/ports.ts';

export const CORPUS = join(import.meta.dirname, '..', 'fixtures', 'ingest-corpus');
export const CORPUS_CLOCK: Clock = { now: () => new Date('2026-04-06T00:00:00Z'), today: () => '2026-04-06' };

/** Runs `fn` with ingest deps over `root` (a real DuckDB engine and the local folder store, unless overridden). */
export async function withIngestDeps<T>(root: string, fn: (deps: IngestDeps, engine: DuckDbEngine) => Promise<T>,
  wrap: { store?: (s: ObjectStore) => ObjectStore; writer?: (w: ParquetWriter) => ParquetWriter } = {}): Promise<T> {
  const engine = await DuckDbEngine.open({ lakeRoot: join(root, 'lake'), threads: 1 });
  const scratchDir = join(root, 'scratch');
  mkdirSync(scratchDir, { recursive: true });
  const store = new LocalFolderStore(root);
  try {
    return await fn({ store: wrap.store ? wrap.store(store) : store, writer: wrap.writer ? wrap.writer(engine) : engine, engine, clock: CORPUS_CLOCK, scratchDir }, engine);
  } finally {
    await engine.close();
  }
}

/** Drops `text` as the landing file `landing/<table>/dt=<dt>/<name>`, arriving at `arrival` (default: 23:30 hospital time that night). */
export function landFile(root: string, table: string, dt: string, name: string, text: string, arrival = `${dt}T23:30:00+08:00`): void {
  const path = join(root, 'landing', table, `dt=${dt}`, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  utimesSync(path, new Date(arrival), new Date(arrival));
}

/** A new folder with the reference set landed and ingested. */
export async function referenceLake(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'opsdeck-ref-'));
  cpSync(join(CORPUS, '_reference'), dir, { recursive: true });
  const arrival = new Date('2026-02-01T23:30:00+08:00');
  for (const t of readdirSync(join(dir, 'landing'))) utimesSync(join(dir, 'landing', t, 'dt=2026-02-01', `${t}.csv`), arrival, arrival);
  await withIngestDeps(dir, async (deps) => {
    const reports = await ingestNights(deps, await pendingNights(deps.store));
    if (reports.length !== 1 || reports[0]!.totals.rejected !== 0) throw new Error('reference set did not ingest cleanly');
  });
  return dir;
}

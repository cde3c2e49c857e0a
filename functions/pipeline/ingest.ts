/**
 * Nightly ingest: landing/<table>/dt=D/*.csv → validated against the contract → lake/<table>/dt=D/part-0.parquet,
 * rejected rows → quarantine/<table>/dt=D/rejects.csv, counts → reports/ingest/dt=D.json.
 *
 * - Landing files are never modified or deleted.
 * - Files of a night are applied in delivery order (arrival time, then name): for the same key the later delivery wins.
 * - Every partition is one object, replaced in one atomic put; the night's report is written last and is the record of
 *   what was ingested, so a crash at any step leaves old or new partitions and a night that `pendingNights` re-runs.
 * - Re-running a night with the same landing files writes byte-identical partitions.
 * - For every file, rows read = accepted + rejected + duplicates; an imbalance is a bug and stops the night.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CONTRACT_VERSION, TABLES, type TableSpec } from '../domain/contract.ts';
import type { FileProblem, FileReport, NightReport, TableReport } from '../domain/ingest-report.ts';
import { LakeWriteRefused, SPECIAL_ENTRY, UnreadableObjectError, type Clock, type ObjectInfo, type ObjectStore, type ParquetWriter, type QueryEngine } from '../ports.ts';
import { csvLine } from '../lake/csv.ts';
import { AREAS, dtOf, lakeKey, recomputeKey, rejectsKey, reportKey, REJECT_HEADER } from '../lake/layout.ts';
import { readNightReport } from '../lake/reports.ts';
import { ReferenceCache } from './references.ts';

export type { FileProblem, FileReport, NightReport, TableReport } from '../domain/ingest-report.ts';
import { type DeliveryDeadline, sha256, validateFile } from './validate-file.ts';
import { isCsv, isIngestable, isContractTableName, landingIndex } from './landing.ts';

export interface IngestDeps {
  store: ObjectStore;
  writer: ParquetWriter;
  /** Reads the reference tables' codes for the foreign-key checks. */
  engine: QueryEngine;
  clock: Clock;
  /** Local scratch folder for clean CSV and Parquet before they are moved into the store. */
  scratchDir: string;
  deadline?: DeliveryDeadline;
}

/** The report of a landing file that could not be read as a regular file. */
function unreadableFile(info: ObjectInfo, why: { zh: string; en: string }): { report: FileReport; rejects: string[] } {
  const refused: FileProblem = { code: 'file_unreadable', zh: `${info.key}：${why.zh}`, en: `${info.key}: ${why.en}` };
  return {
    report: { key: info.key, bytes: 0, modifiedAt: info.modifiedAt, sha256: '', rowsRead: 0, accepted: 0, rejected: 0, duplicates: 0, refused },
    rejects: [csvLine([info.key, '0', '*', refused.code, refused.zh, refused.en, ''])],
  };
}

/** Writes the header and the rows in chunks of about 1 MB (a 200 MB extract is never joined into one string and one buffer). */
async function writeLines(path: string, header: string, parts: readonly Iterable<string>[]): Promise<void> {
  const handle = await open(path, 'w');
  try {
    let chunk: string[] = [header];
    let size = header.length;
    for (const part of parts) {
      for (const line of part) {
        chunk.push(line);
        size += line.length;
        if (size >= 1 << 20) {
          await handle.write(chunk.join(''));
          chunk = [];
          size = 0;
        }
      }
    }
    if (chunk.length) await handle.write(chunk.join(''));
  } finally {
    await handle.close();
  }
}

/** The file a line of the clean CSV came from (line 1 is the header). */
function fileOfCleanLine(delivered: readonly { rows: Map<string, string>; file: FileReport }[], line: number): FileReport | undefined {
  let n = line - 1;
  for (const d of delivered) {
    if (n <= d.rows.size) return d.file;
    n -= d.rows.size;
  }
  return undefined;
}

function assertBalanced(table: string, f: FileReport): void {
  if (f.rowsRead !== f.accepted + f.rejected + f.duplicates) {
    throw new Error(`内部错误：${table} ${f.key} 行数不平衡 / internal error: rows do not balance for ${f.key}: read ${f.rowsRead} ≠ accepted ${f.accepted} + rejected ${f.rejected} + duplicates ${f.duplicates}`);
  }
}

/** Delivery order: arrival time, then key. */
const byDelivery = (a: ObjectInfo, b: ObjectInfo): number =>
  a.modifiedAt < b.modifiedAt ? -1 : a.modifiedAt > b.modifiedAt ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0;

/**
 * Writes the table's winning rows as its night's Parquet partition (one atomic put, skipped when the bytes are the same),
 * or records why the old partition was kept when the writer refuses the rows.
 */
async function writePartition(deps: IngestDeps, refs: ReferenceCache, spec: TableSpec, dt: string, delivered: readonly { rows: Map<string, string>; file: FileReport }[], previous: TableReport | undefined, report: TableReport): Promise<void> {
  const work = join(deps.scratchDir, `${spec.name}-${dt}-${randomBytes(4).toString('hex')}`);
  await mkdir(work, { recursive: true });
  try {
    const csvPath = join(work, 'clean.csv');
    const keptRows = delivered.reduce((n, d) => n + d.rows.size, 0);
    await writeLines(csvPath, csvLine(spec.columns.map((c) => c.name)), delivered.map((d) => d.rows.values()));
    const parquetPath = join(work, 'part-0.parquet');
    let rows: number;
    try {
      ({ rows } = await deps.writer.writeParquet({ csvPath, columns: spec.columns, parquetPath }));
    } catch (e) {
      if (!(e instanceof LakeWriteRefused)) throw e;
      // A backstop: the validator checks what the columns hold, so this means a check is missing. The night is still recorded.
      const source = e.cleanLine !== undefined ? fileOfCleanLine(delivered, e.cleanLine) : undefined;
      const where = source ? { zh: `（${source.key} 中的一行）`, en: ` (a row of ${source.key})` } : { zh: '', en: '' };
      if (previous?.lakeSha256) report.lakeSha256 = previous.lakeSha256;
      report.partitionKept = {
        zh: `写入数据湖失败${where.zh}，原有分区保持不变，本表 ${keptRows} 行未写入：${e.message}`,
        en: `writing the lake failed${where.en}: the existing partition was left unchanged and this table's ${keptRows} rows were not written: ${e.message}`,
      };
      report.writeRefused = true;
      return;
    }
    if (rows !== keptRows) throw new Error(`内部错误：写入 ${rows} 行，应为 ${keptRows} / internal error: wrote ${rows} rows to ${spec.name} ${dt}, expected ${keptRows}`);
    report.rowsWritten = rows;
    const key = lakeKey(spec.name, dt);
    const before = await deps.store.get(key);
    report.lakeSha256 = sha256(await readFile(parquetPath));
    // Changed relative to what the last committed report recorded, so that a re-run after a crash reports the same.
    report.partitionChanged = report.lakeSha256 !== previous?.lakeSha256;
    if (!before || sha256(before) !== report.lakeSha256) {
      await deps.store.putFile(key, parquetPath);
      if (spec.kind === 'reference') refs.invalidate(spec.name);
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function ingestTable(deps: IngestDeps, refs: ReferenceCache, spec: TableSpec, dt: string, files: ObjectInfo[], previous: TableReport | undefined): Promise<TableReport> {
  const context = await refs.forTable(spec, dt);
  const report: TableReport = {
    table: spec.name, files: [], rowsWritten: 0, partitionChanged: false, rejectReasons: {},
    referencesUsed: context.used, referencesSkipped: context.skipped,
    ...(Object.keys(context.firstLater).length ? { referencesFirstLater: context.firstLater } : {}),
  };
  // Each file's accepted rows stay in its own map (no copy of a 200 MB extract); a later delivery's key removes the
  // earlier file's row, so writing the maps in delivery order puts every winning row where its version was read.
  const delivered: { rows: Map<string, string>; file: FileReport }[] = [];
  const rejects: string[] = [csvLine(REJECT_HEADER)];

  for (const info of [...files].sort(byDelivery)) {
    let bytes: Uint8Array | undefined;
    try {
      bytes = await deps.store.get(info.key);
    } catch (e) {
      if (!(e instanceof UnreadableObjectError)) throw e;
      // Replaced by a link or a pipe after it was listed: refused like any unusable file, the other files still count.
      const outcome = unreadableFile(info, e.why);
      report.files.push(outcome.report);
      rejects.push(...outcome.rejects);
      report.rejectReasons['*:file_unreadable'] = (report.rejectReasons['*:file_unreadable'] ?? 0) + 1;
      continue;
    }
    if (!bytes) throw new Error(`落地文件在导入时消失 / landing file vanished during ingest: ${info.key}`);
    const outcome = validateFile(spec, dt, { key: info.key, bytes, modifiedAt: info.modifiedAt }, context.lookup, deps.deadline);
    const file = outcome.report;
    report.files.push(file);
    rejects.push(...outcome.rejects);
    for (const [k, n] of Object.entries(outcome.reasons)) report.rejectReasons[k] = (report.rejectReasons[k] ?? 0) + n;
    for (const earlier of delivered) {
      for (const k of outcome.rows.keys()) {
        if (earlier.rows.delete(k)) {
          earlier.file.accepted--;
          earlier.file.duplicates++;
        }
      }
    }
    delivered.push({ rows: outcome.rows, file });
  }
  for (const f of report.files) assertBalanced(spec.name, f);

  // Quarantine first, then the partition: each is one atomic put; the report that records both comes last.
  if (rejects.length > 1) await deps.store.put(rejectsKey(spec.name, dt), rejects.join(''));
  else await deps.store.delete(rejectsKey(spec.name, dt));

  if (report.files.every((f) => f.refused)) {
    if (previous?.lakeSha256) report.lakeSha256 = previous.lakeSha256;
    report.partitionKept = {
      zh: '本批次没有可用文件，湖中原有分区保持不变', en: 'no usable file this night: the existing lake partition was left unchanged',
    };
    return report;
  }
  await writePartition(deps, refs, spec, dt, delivered, previous, report);
  return report;
}

/**
 * Ingests every table that has landing files for night `dt`, then writes the night's report.
 * `files` (from `landingIndex`) saves listing the landing folders again; `refs` shares reference codes across nights.
 */
export async function ingestNight(deps: IngestDeps, dt: string, options: { files?: Map<string, ObjectInfo[]>; refs?: ReferenceCache; newestReported?: string | null } = {}): Promise<NightReport> {
  const startedAt = deps.clock.now().toISOString();
  const refs = options.refs ?? new ReferenceCache(deps.store, deps.engine);
  const files = options.files ?? (await landingIndex(deps.store)).get(dt) ?? new Map<string, ObjectInfo[]>();
  const previous = await readNightReport(deps.store, dt);
  const tables: TableReport[] = [];
  for (const spec of TABLES) {
    const tableFiles = files.get(spec.name)?.filter(isIngestable);
    if (!tableFiles?.length) continue;
    tables.push(await ingestTable(deps, refs, spec, dt, tableFiles, previous?.tables.find((t) => t.table === spec.name)));
  }
  const ignoredFiles: NightReport['ignoredFiles'] = [];
  for (const [table, objs] of files) {
    for (const o of objs) {
      if (o.special) {
        ignoredFiles.push({ key: o.key, zh: `${SPECIAL_ENTRY[o.special].zh}，未导入`, en: `${SPECIAL_ENTRY[o.special].en}: not ingested` });
      } else if (!isContractTableName(table)) {
        ignoredFiles.push({ key: o.key, zh: `目录 ${table} 不是数据契约中的表，未导入`, en: `folder ${table} is not a table of the data contract: not ingested` });
      } else if (!isCsv(o.key)) {
        ignoredFiles.push({ key: o.key, zh: '不是 .csv 文件，未导入（请从 Excel 另存为 CSV）', en: 'not a .csv file: not ingested (save it from Excel as CSV)' });
      }
    }
  }
  const all = tables.flatMap((t) => t.files);
  const report: NightReport = {
    dt, contractVersion: CONTRACT_VERSION, startedAt, finishedAt: deps.clock.now().toISOString(), tables,
    totals: {
      files: all.length,
      rowsRead: all.reduce((s, f) => s + f.rowsRead, 0),
      accepted: all.reduce((s, f) => s + f.accepted, 0),
      rejected: all.reduce((s, f) => s + f.rejected, 0),
      duplicates: all.reduce((s, f) => s + f.duplicates, 0),
    },
    ignoredFiles,
  };
  if (previous) report.previous = { finishedAt: previous.finishedAt, files: previous.totals.files, rowsRead: previous.totals.rowsRead };
  const changed = tables.filter((t) => t.partitionChanged).map((t) => t.table);
  const newest = options.newestReported !== undefined ? options.newestReported : await newestReportedNight(deps.store);
  if (changed.length > 0 && (previous || (newest !== null && newest > dt))) {
    await deps.store.put(recomputeKey(dt), JSON.stringify({ dt, tables: changed, at: report.finishedAt }));
  }
  await deps.store.put(reportKey(dt), JSON.stringify(report, null, 2));
  return report;
}

async function newestReportedNight(store: ObjectStore): Promise<string | null> {
  const nights = (await store.list(AREAS.ingestReports)).map((o) => dtOf(o.key)).filter((d): d is string => d !== undefined);
  return nights.sort().at(-1) ?? null;
}

/**
 * Ingests several nights in date order. Nights are independent except through reference data, so a night that
 * delivers reference tables runs alone after the nights before it; the others run `concurrency` at a time, which
 * keeps the CPU validating one night while the engine writes another's Parquet.
 */
export async function ingestNights(deps: IngestDeps, nights: readonly string[], options: { concurrency?: number; onNight?: (report: NightReport, done: number) => void } = {}): Promise<NightReport[]> {
  await sweepScratch(deps.scratchDir);
  const index = await landingIndex(deps.store);
  const refs = new ReferenceCache(deps.store, deps.engine);
  // Snapshots can only depend on nights ingested before this batch: nights of the batch finishing out of order are not corrections.
  const newestReported = await newestReportedNight(deps.store);
  const reports: NightReport[] = [];
  const failures: { dt: string; error: unknown }[] = [];
  const limit = Math.max(1, options.concurrency ?? 1);
  const inFlight = new Set<Promise<void>>();
  const run = (dt: string): Promise<void> => {
    const p: Promise<void> = ingestNight(deps, dt, { files: index.get(dt), refs, newestReported }).then((report) => {
      reports.push(report);
      options.onNight?.(report, reports.length);
    }, (error: unknown) => void failures.push({ dt, error })).finally(() => inFlight.delete(p));
    inFlight.add(p);
    return p;
  };
  for (const dt of [...nights].sort()) {
    const deliversReference = [...(index.get(dt)?.keys() ?? [])].some((t) => TABLES.some((s) => s.name === t && s.kind === 'reference'));
    if (deliversReference) {
      await Promise.all(inFlight);
      await run(dt);
      // Later nights are checked against this night's reference data: without it they would be checked against the wrong codes.
      if (failures.some((f) => f.dt === dt)) break;
      continue;
    }
    while (inFlight.size >= limit) await Promise.race(inFlight);
    void run(dt);
  }
  await Promise.all(inFlight);
  // A failed night has no report, so it stays pending and the next run retries it; the nights after it have landed.
  if (failures.length) throw new NightsFailedError(failures.sort((a, b) => (a.dt < b.dt ? -1 : 1)), reports.length);
  return reports.sort((a, b) => (a.dt < b.dt ? -1 : a.dt > b.dt ? 1 : 0));
}

/** A table's work folder in the scratch folder (see ingestTable). */
const WORK_DIR = /^[a-z_]+-\d{4}-\d{2}-\d{2}-[0-9a-f]{8}$/;

/**
 * Removes work folders that a killed run left in the scratch folder. Runs take turns (the local pipeline lock; one
 * Lambda invocation per container), so no folder of a running night is touched; nothing else in scratch is.
 */
async function sweepScratch(scratchDir: string): Promise<void> {
  const entries = await readdir(scratchDir).catch(() => [] as string[]);
  await Promise.all(entries.filter((e) => WORK_DIR.test(e)).map((e) => rm(join(scratchDir, e), { recursive: true, force: true })));
}

/** Some nights of a batch could not be ingested (the others were): each stays pending for the next run. */
export class NightsFailedError extends Error {
  constructor(readonly failures: readonly { dt: string; error: unknown }[], readonly landed: number) {
    const first = failures[0]!;
    const why = first.error instanceof Error ? first.error.message : String(first.error);
    super(`${failures.length} 晚导入失败（${failures.map((f) => f.dt).slice(0, 5).join('、')}${failures.length > 5 ? ' 等' : ''}），其余 ${landed} 晚已导入；失败的夜间下次运行会重试 / ` +
      `${failures.length} night(s) failed (${failures.map((f) => f.dt).slice(0, 5).join(', ')}${failures.length > 5 ? ', …' : ''}); the other ${landed} landed and the failed ones are retried on the next run. First error (${first.dt}): ${why}`);
  }
}

/** Nights whose partitions changed after later nights had been ingested (see `recomputeKey`), ascending. */
export async function staleNights(store: ObjectStore): Promise<string[]> {
  return (await store.list(AREAS.recompute)).map((o) => dtOf(o.key)).filter((d): d is string => d !== undefined).sort();
}

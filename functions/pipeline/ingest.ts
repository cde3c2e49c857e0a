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
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { addDays, isIsoDate, monthStart, shiftMonths } from '../domain/calendar.ts';
import { CONTRACT_VERSION, MAX_RECORD_CHARS, TABLES, type TableSpec } from '../domain/contract.ts';
import { checkHeader, compileRowKey, compileRowValidator, describeHeaderProblem, type FieldProblem, type ReferenceLookup } from '../domain/row-validation.ts';
import type { FileProblem, FileReport, NightReport, TableReport } from '../domain/ingest-report.ts';

export type { FileProblem, FileReport, NightReport, TableReport } from '../domain/ingest-report.ts';
import { LakeWriteRefused, SPECIAL_ENTRY, UnreadableObjectError, type Clock, type ObjectInfo, type ObjectStore, type ParquetWriter, type QueryEngine } from '../ports.ts';
import { CsvSyntaxError, DecodeError, csvLine, decodeExtract, parseCsv, type CsvRecord, type Encoding } from '../lake/csv.ts';
import { AREAS, dtFolder, dtOf, landingPlace, lakeKey, recomputeKey, rejectsKey, reportKey, REJECT_HEADER } from '../lake/layout.ts';
import { readNightReport } from '../lake/reports.ts';
import { ReferenceCache } from './references.ts';

/** When a night's extracts are due: `hour` o'clock hospital time on the day after the night (monthly: `monthlyDay` of the next month). */
export interface DeliveryDeadline {
  utcOffset: string;
  hour: number;
  monthlyDay: number;
}

export const DEFAULT_DEADLINE: DeliveryDeadline = { utcOffset: '+08:00', hour: 6, monthlyDay: 10 };

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

/** How much of a rejected record the quarantine keeps (a 2 MB line is named by its line number, not copied whole). */
const QUARANTINE_RAW_CHARS = 4000;
const isCsv = (key: string): boolean => key.toLowerCase().endsWith('.csv');
/** A regular CSV file of a contract table: what ingest reads. */
const isIngestable = (o: ObjectInfo): boolean => isCsv(o.key) && !o.special;
const isContractTableName = (t: string): boolean => TABLES.some((s) => s.name === t);

/** Landing files by night and table folder (every file, including ones ingest will not read, so that the report can say so). */
export type LandingIndex = Map<string, Map<string, ObjectInfo[]>>;

/** A landing entry outside any night that can be ingested: an impossible date folder, or a file nested too deep. */
export interface LandingProblem {
  key: string;
  zh: string;
  en: string;
}

const impossibleNight = (key: string, dt: string): LandingProblem => ({ key, zh: `夜间目录 dt=${dt} 不是有效日期，未导入`, en: `night folder dt=${dt} is not a valid date: not ingested` });
const LANDING_ANY = /^landing\/([^/]+)\/([^/]+)\/(.+)$/;

/** Reads the landing folders once: the index of nights, and the entries no night will read (with why). */
export async function scanLanding(store: ObjectStore): Promise<{ index: LandingIndex; problems: LandingProblem[] }> {
  const index: LandingIndex = new Map();
  const problems: LandingProblem[] = [];
  for (const obj of await store.list(AREAS.landing)) {
    if (obj.key.startsWith(AREAS.manifests)) continue;
    const m = landingPlace(obj.key);
    if (!m) {
      const parts = LANDING_ANY.exec(obj.key);
      const folder = parts?.[2] ?? '';
      const dt = dtFolder(folder);
      if (obj.special) problems.push({ key: obj.key, zh: `${SPECIAL_ENTRY[obj.special].zh}，未导入`, en: `${SPECIAL_ENTRY[obj.special].en}: not ingested` });
      else if (dt && !isIsoDate(dt)) problems.push(impossibleNight(obj.key, dt));
      else if (dt) problems.push({ key: obj.key, zh: '位于夜间目录的子文件夹中，未导入（文件应直接放在 dt=YYYY-MM-DD/ 下）', en: 'lies in a sub-folder of the night folder: not ingested (files go directly under dt=YYYY-MM-DD/)' });
      else problems.push({ key: obj.key, zh: '不在 landing/<表名>/dt=YYYY-MM-DD/ 目录中，未导入', en: 'is not under landing/<table>/dt=YYYY-MM-DD/: not ingested' });
      continue;
    }
    const { table, dt } = m;
    if (!isIsoDate(dt)) {
      problems.push(impossibleNight(obj.key, dt));
      continue;
    }
    let night = index.get(dt);
    if (!night) index.set(dt, (night = new Map()));
    night.set(table, [...(night.get(table) ?? []), obj]);
  }
  return { index, problems };
}

export async function landingIndex(store: ObjectStore): Promise<LandingIndex> {
  return (await scanLanding(store)).index;
}

/** Every night (dt) that has at least one landing file, ascending. */
export async function landingNights(store: ObjectStore): Promise<string[]> {
  return [...(await landingIndex(store)).keys()].sort();
}

const fingerprint = (files: readonly { key: string; bytes?: number; size?: number; modifiedAt: string }[]): string =>
  files.map((f) => `${f.key}|${f.bytes ?? f.size}|${f.modifiedAt}`).sort().join('\n');

/**
 * Nights to (re-)ingest: those with landing files but no report, those whose landing files differ from what their
 * report recorded (a re-delivery, a late correction, a file removed by the hospital, or a run that crashed before its
 * report), and those whose rows the lake writer refused.
 */
export async function pendingNights(store: ObjectStore, index?: LandingIndex): Promise<string[]> {
  const landing = index ?? (await landingIndex(store));
  const pending: string[] = [];
  for (const [dt, tables] of landing) {
    const report = await readNightReport(store, dt);
    const ingestable = [...tables].filter(([t]) => isContractTableName(t)).flatMap(([, files]) => files.filter(isIngestable));
    // A night whose rows the writer refused is retried on every run (the refusal may be fixed by an upgrade).
    if (!report || report.tables.some((t) => t.writeRefused) || fingerprint(report.tables.flatMap((t) => t.files)) !== fingerprint(ingestable)) pending.push(dt);
  }
  return pending.sort();
}

function deadlineFor(spec: TableSpec, dt: string, d: DeliveryDeadline): number | undefined {
  if (spec.kind === 'reference') return undefined;
  const day = spec.kind === 'daily' ? addDays(dt, 1) : `${shiftMonths(monthStart(dt), 1).slice(0, 8)}${String(d.monthlyDay).padStart(2, '0')}`;
  return Date.parse(`${day}T${String(d.hour).padStart(2, '0')}:00:00${d.utcOffset}`);
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** What validating one file produced; the accepted rows are canonical CSV lines keyed by primary key (last in file wins). */
export interface FileOutcome {
  report: FileReport;
  rows: Map<string, string>;
  /** Quarantine lines (CSV, REJECT_HEADER columns). */
  rejects: string[];
  reasons: Record<string, number>;
}

/**
 * Validates one landing file against the contract for night `dt`. Pure apart from the bytes given: shared by ingest and
 * `opsdeck ingest --check`.
 */
export function validateFile(spec: TableSpec, dt: string, file: { key: string; bytes: Uint8Array; modifiedAt: string }, references?: ReferenceLookup, deadline = DEFAULT_DEADLINE): FileOutcome {
  const report: FileReport = {
    key: file.key, bytes: file.bytes.length, modifiedAt: file.modifiedAt, sha256: sha256(file.bytes),
    rowsRead: 0, accepted: 0, rejected: 0, duplicates: 0,
  };
  const due = deadlineFor(spec, dt, deadline);
  if (due !== undefined) report.lateMinutes = Math.max(0, Math.round((Date.parse(file.modifiedAt) - due) / 60000));
  const rows = new Map<string, string>();
  const rejects: string[] = [];
  const reasons: Record<string, number> = {};
  const count = (field: string, code: string): void => void (reasons[`${field}:${code}`] = (reasons[`${field}:${code}`] ?? 0) + 1);
  const refuse = (problem: FileProblem): FileOutcome => {
    report.refused = problem;
    report.rejected = report.rowsRead;
    report.accepted = 0;
    report.duplicates = 0;
    rejects.length = 0;
    for (const k of Object.keys(reasons)) delete reasons[k];
    rejects.push(csvLine([file.key, String(problem.line ?? 0), '*', problem.code, problem.zh, problem.en, '']));
    count('*', problem.code);
    return { report, rows: new Map(), rejects, reasons };
  };

  let decoded: { text: string; encoding: Encoding };
  try {
    decoded = decodeExtract(file.bytes);
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    return refuse({ code: 'file_encoding', ...(e.line ? { line: e.line } : {}), zh: `${file.key}：${e.message}`, en: `${file.key}: ${e.message}` });
  }
  report.encoding = decoded.encoding;
  const keyOf = compileRowKey(spec);
  try {
    const records = parseCsv(decoded.text);
    const first = records.next();
    if (first.done) return refuse({ code: 'file_empty', zh: `${file.key}：文件为空，缺少表头`, en: `${file.key}: the file is empty (no header row)` });
    const header = first.value.fields.map((h) => h.trim());
    const headerProblem = checkHeader(spec, header);
    if (headerProblem) {
      for (const _ of records) report.rowsRead++;
      const d = describeHeaderProblem(spec.name, headerProblem);
      return refuse({ code: 'file_header', line: 1, zh: `${file.key} 第 1 行：${d.zh}`, en: `${file.key} line 1: ${d.en}` });
    }
    const validate = compileRowValidator(spec, header, dt, references);
    const reject = (record: CsvRecord, problems: readonly FieldProblem[]): void => {
      report.rejected++;
      const raw = record.raw.length > QUARANTINE_RAW_CHARS ? `${record.raw.slice(0, QUARANTINE_RAW_CHARS)}…[${record.raw.length}]` : record.raw;
      for (const p of problems) {
        rejects.push(csvLine([file.key, String(record.line), p.field, p.code, p.zh, p.en, raw]));
        count(p.field, p.code);
      }
    };
    for (const record of records) {
      report.rowsRead++;
      if (!record.terminated) {
        // A re-delivery cut inside its last value (65.93 → 65.9) must not replace the good row: the last line is held back.
        report.warnings = [{
          code: 'truncated', line: record.line,
          zh: `${file.key} 第 ${record.line} 行：文件没有以换行结尾，最后一行可能被截断（磁盘满或传输中断），已拒收该行；请重新投递完整文件（导出时让最后一行也以换行结尾）`,
          en: `${file.key} line ${record.line}: the file does not end with a line break, so its last line may have been cut off (full disk or broken transfer) and was rejected: deliver the whole file again (with a line break after the last line)`,
        }];
        reject(record, [{ field: '*', code: 'unterminated', zh: '文件没有以换行结尾，最后一行可能被截断，未导入', en: 'the file does not end with a line break: the last line may be cut off and was not ingested' }]);
        continue;
      }
      if (record.raw.length > MAX_RECORD_CHARS) {
        reject(record, [{ field: '*', code: 'record_too_long', zh: `记录长 ${record.raw.length} 个字符，超过上限 ${MAX_RECORD_CHARS}`, en: `the record is ${record.raw.length} characters long, over the limit of ${MAX_RECORD_CHARS}` }]);
        continue;
      }
      if (record.strayQuotes) {
        const cols = record.strayQuotes.map((i) => header[i - 1] ?? `#${i}`).join(', ');
        reject(record, [{ field: record.strayQuotes.length === 1 ? (header[record.strayQuotes[0]! - 1] ?? '*') : '*', code: 'stray_quote',
          zh: `字段 ${cols} 中的引号位置不合 CSV 规范（值中的引号应写成两个，并用引号括起整个值），取值无法确定`,
          en: `a quote in field ${cols} is misplaced for CSV (a quote inside a value is doubled and the whole value quoted): the value is uncertain` }]);
        continue;
      }
      const outcome = validate(record.fields);
      if (!outcome.ok) {
        reject(record, outcome.problems);
        continue;
      }
      const k = keyOf(outcome.values);
      if (rows.has(k)) {
        rows.delete(k); // re-insert so that the row sits where its winning version was read
        report.duplicates++;
      } else report.accepted++;
      rows.set(k, csvLine(outcome.values));
    }
  } catch (e) {
    if (!(e instanceof CsvSyntaxError)) throw e;
    return refuse({ code: 'file_syntax', line: e.line, zh: `${file.key}：${e.message}`, en: `${file.key}: ${e.message}` });
  }
  return { report, rows, rejects, reasons };
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
      return report;
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

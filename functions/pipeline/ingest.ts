/**
 * Nightly ingest: landing/<table>/dt=D/*.csv → validated against the contract → lake/<table>/dt=D/part-0.parquet,
 * rejected rows → quarantine/<table>/dt=D/rejects.csv, counts → reports/ingest/dt=D.json.
 * Landing files are never modified or deleted; re-running a night replaces its outputs with the same result.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { CONTRACT_VERSION, TABLES, type TableSpec } from '../domain/contract.ts';
import { checkHeader, compileRowKey, compileRowValidator } from '../domain/row-validation.ts';
import type { Clock, ObjectStore, ParquetWriter } from '../ports.ts';
import { CsvSyntaxError, DecodeError, csvLine, decodeExtract, parseCsv, type Encoding } from './csv.ts';

export interface IngestDeps {
  store: ObjectStore;
  writer: ParquetWriter;
  clock: Clock;
  /** Local scratch folder for clean CSV and Parquet before they are moved into the store. */
  scratchDir: string;
}

export interface FileReport {
  key: string;
  bytes: number;
  encoding?: Encoding;
  rowsRead: number;
  accepted: number;
  rejected: number;
  duplicates: number;
  /** Set when the whole file was refused (undecodable, wrong header, broken quoting). */
  fileError?: { zh: string; en: string; line?: number };
}

export interface TableReport {
  table: string;
  files: FileReport[];
  rowsWritten: number;
  /** Why the lake partition was left as it was, if it was. */
  partitionKept?: string;
  rejectReasons: Record<string, number>;
}

export interface NightReport {
  dt: string;
  contractVersion: string;
  startedAt: string;
  finishedAt: string;
  tables: TableReport[];
  totals: { files: number; rowsRead: number; accepted: number; rejected: number; duplicates: number };
}

export const lakeKey = (table: string, dt: string): string => `lake/${table}/dt=${dt}/part-0.parquet`;
export const rejectsKey = (table: string, dt: string): string => `quarantine/${table}/dt=${dt}/rejects.csv`;
export const reportKey = (dt: string): string => `reports/ingest/dt=${dt}.json`;

const REJECT_HEADER = ['source_file', 'line', 'field', 'reason_zh', 'reason_en', 'raw_record'];
const DT_IN_KEY = /\/dt=(\d{4}-\d{2}-\d{2})\//;

/** Every night (dt) that has at least one landing file, ascending. */
export async function landingNights(store: ObjectStore): Promise<string[]> {
  const nights = new Set<string>();
  for (const obj of await store.list('landing/')) {
    const m = DT_IN_KEY.exec(obj.key);
    if (m && obj.key.endsWith('.csv')) nights.add(m[1]!);
  }
  return [...nights].sort();
}

/** The newest night for which a daily fact table has a lake partition: the natural as-of date for screens. */
export async function latestDailyNight(store: ObjectStore): Promise<string | undefined> {
  let newest: string | undefined;
  for (const spec of TABLES.filter((t) => t.kind === 'daily')) {
    for (const obj of await store.list(`lake/${spec.name}/`)) {
      const dt = DT_IN_KEY.exec(obj.key)?.[1];
      if (dt && (!newest || dt > newest)) newest = dt;
    }
  }
  return newest;
}

interface Accepted {
  values: string[];
  fileIndex: number;
}

async function ingestTable(deps: IngestDeps, spec: TableSpec, dt: string, fileKeys: { key: string; size: number }[]): Promise<TableReport> {
  const report: TableReport = { table: spec.name, files: [], rowsWritten: 0, rejectReasons: {} };
  const kept = new Map<string, Accepted>();
  const rejects: string[] = [csvLine(REJECT_HEADER)];
  const keyOf = compileRowKey(spec);

  // Files in key order: a later delivery (later name) wins over an earlier one for the same key.
  for (const [fileIndex, { key, size }] of fileKeys.entries()) {
    const file: FileReport = { key, bytes: size, rowsRead: 0, accepted: 0, rejected: 0, duplicates: 0 };
    report.files.push(file);
    const bytes = (await deps.store.get(key)) ?? new Uint8Array();
    try {
      const { text, encoding } = decodeExtract(bytes);
      file.encoding = encoding;
      const records = parseCsv(text);
      const first = records.next();
      if (first.done) {
        file.fileError = { zh: '文件为空，缺少表头', en: 'file is empty: no header row' };
        continue;
      }
      const header = first.value.fields.map((h) => h.trim());
      const headerProblem = checkHeader(spec, header);
      if (headerProblem) {
        file.fileError = {
          line: 1,
          zh: `表头与数据契约 ${spec.name} 不符：缺少 [${headerProblem.missing.join(', ')}]，多出 [${headerProblem.unexpected.join(', ')}]`,
          en: `header does not match contract table ${spec.name}: missing [${headerProblem.missing.join(', ')}], unexpected [${headerProblem.unexpected.join(', ')}]`,
        };
        continue;
      }
      const validate = compileRowValidator(spec, header, dt);
      for (const record of records) {
        file.rowsRead++;
        const outcome = validate(record.fields);
        if (!outcome.ok) {
          file.rejected++;
          for (const p of outcome.problems) {
            rejects.push(csvLine([key, String(record.line), p.field, p.zh, p.en, record.raw]));
            report.rejectReasons[p.field] = (report.rejectReasons[p.field] ?? 0) + 1;
          }
          continue;
        }
        const k = keyOf(outcome.values);
        const previous = kept.get(k);
        if (previous) {
          report.files[previous.fileIndex]!.accepted--;
          report.files[previous.fileIndex]!.duplicates++;
        }
        kept.set(k, { values: outcome.values, fileIndex });
        file.accepted++;
      }
    } catch (e) {
      if (e instanceof DecodeError) file.fileError = { zh: e.message, en: e.message };
      else if (e instanceof CsvSyntaxError) {
        // A broken file is refused whole: the rows read so far are not trusted either.
        for (const [k, v] of kept) if (v.fileIndex === fileIndex) kept.delete(k);
        file.fileError = { zh: e.message, en: e.message, line: e.line };
        file.rejected += file.accepted;
        file.accepted = 0;
      } else throw e;
    }
    if (file.fileError) {
      rejects.push(csvLine([key, String(file.fileError.line ?? 0), '*', file.fileError.zh, file.fileError.en, '']));
      report.rejectReasons['*file'] = (report.rejectReasons['*file'] ?? 0) + 1;
    }
  }

  const usable = report.files.some((f) => !f.fileError);
  if (!usable) {
    report.partitionKept = '本批次没有可用文件，湖中原有分区保持不变 / no usable file this night: the existing lake partition was left unchanged';
  } else {
    const work = join(deps.scratchDir, `${spec.name}-${dt}-${randomBytes(4).toString('hex')}`);
    await mkdir(work, { recursive: true });
    try {
      const csvPath = join(work, 'clean.csv');
      const lines = [csvLine(spec.columns.map((c) => c.name))];
      for (const { values } of kept.values()) lines.push(csvLine(values));
      await writeFile(csvPath, lines.join(''));
      const parquetPath = join(work, 'part-0.parquet');
      const { rows } = await deps.writer.writeParquet({ csvPath, columns: spec.columns, parquetPath });
      report.rowsWritten = rows;
      await deps.store.putFile(lakeKey(spec.name, dt), parquetPath);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }
  if (rejects.length > 1) await deps.store.put(rejectsKey(spec.name, dt), rejects.join(''));
  else await deps.store.delete(rejectsKey(spec.name, dt));
  return report;
}

/** Ingests every table that has landing files for night `dt`, then writes the night's report. */
export async function ingestNight(deps: IngestDeps, dt: string): Promise<NightReport> {
  const startedAt = deps.clock.now().toISOString();
  const tables: TableReport[] = [];
  for (const spec of TABLES) {
    const files = (await deps.store.list(`landing/${spec.name}/dt=${dt}/`)).filter((f) => f.key.toLowerCase().endsWith('.csv'));
    if (files.length === 0) continue;
    tables.push(await ingestTable(deps, spec, dt, files));
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
  };
  await deps.store.put(reportKey(dt), JSON.stringify(report, null, 2));
  return report;
}

/**
 * Ingests several nights; nights are independent, so `concurrency` > 1 keeps the CPU validating one night
 * while the engine writes another's Parquet on its own threads.
 */
export async function ingestNights(deps: IngestDeps, nights: readonly string[], options: { concurrency?: number; onNight?: (report: NightReport, done: number) => void } = {}): Promise<NightReport[]> {
  const reports: NightReport[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < nights.length) {
      const report = await ingestNight(deps, nights[next++]!);
      reports.push(report);
      options.onNight?.(report, reports.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 1) }, worker));
  return reports.sort((a, b) => (a.dt < b.dt ? -1 : a.dt > b.dt ? 1 : 0));
}

export async function readNightReport(store: ObjectStore, dt: string): Promise<NightReport | undefined> {
  const bytes = await store.get(reportKey(dt));
  return bytes ? (JSON.parse(new TextDecoder().decode(bytes)) as NightReport) : undefined;
}

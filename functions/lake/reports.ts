/**
 * Reads what the pipeline wrote beside the lake: the nights present, the ingest reports and quarantine files, for the
 * data-quality screen, the freshness panels, the quality API and the explorers' "data as of".
 */
import { addDays } from '../domain/calendar.ts';
import { assessNight, HISTORY_NIGHTS, type QualityAssessment } from '../domain/data-quality.ts';
import type { NightReport, RejectRow } from '../domain/ingest-report.ts';
import type { ObjectStore } from '../ports.ts';
import type { PipelineStatus } from '../domain/screens.ts';
import { TABLES } from '../domain/contract.ts';
import { parseCsv } from './csv.ts';
import { AREAS, dtOf, lakePrefix, rejectsKey, reportKey, REJECT_HEADER } from './layout.ts';

/** The newest night for which a daily fact table has a lake partition: the natural as-of date for screens. */
export async function latestDailyNight(store: ObjectStore): Promise<string | undefined> {
  let newest: string | undefined;
  for (const spec of TABLES.filter((t) => t.kind === 'daily')) {
    for (const obj of await store.list(lakePrefix(spec.name))) {
      const dt = dtOf(obj.key);
      if (dt && (!newest || dt > newest)) newest = dt;
    }
  }
  return newest;
}

export async function readNightReport(store: ObjectStore, dt: string): Promise<NightReport | undefined> {
  const bytes = await store.get(reportKey(dt));
  return bytes ? (JSON.parse(new TextDecoder().decode(bytes)) as NightReport) : undefined;
}

/** Nights that have an ingest report, ascending. */
export async function reportedNights(store: ObjectStore): Promise<string[]> {
  return (await store.list(AREAS.ingestReports)).map((o) => dtOf(o.key)).filter((d): d is string => d !== undefined).sort();
}

/**
 * Lists and parses the ingest reports at most once each. One night's aggregate assesses several nights (the campus and
 * DRG pipeline status, seven nights for the data-quality alerts) over overlapping 75-night histories; share one reader
 * for such a run. Not for longer than a run: a later ingest writes new reports.
 */
export class ReportReader {
  private nights: Promise<string[]> | undefined;
  private readonly parsed = new Map<string, Promise<NightReport | undefined>>();

  constructor(readonly store: ObjectStore) {}

  reported(): Promise<string[]> {
    return (this.nights ??= reportedNights(this.store));
  }

  report(dt: string): Promise<NightReport | undefined> {
    let p = this.parsed.get(dt);
    if (!p) this.parsed.set(dt, (p = readNightReport(this.store, dt)));
    return p;
  }
}

/**
 * The quality assessment of night `date` (default: the newest reported night), from its report and the
 * `HISTORY_NIGHTS` before it. Undefined when nothing has been ingested on or before the date.
 */
export async function assessQuality(store: ObjectStore, date?: string, reader = new ReportReader(store)): Promise<QualityAssessment | undefined> {
  const nights = await reader.reported();
  // By default the newest night with daily facts: budgets for coming months arrive in future months' folders.
  const day = date ?? (await latestDailyNight(store)) ?? nights.at(-1);
  if (!day || !nights.some((d) => d <= day)) return undefined;
  const from = addDays(day, -HISTORY_NIGHTS);
  const wanted = nights.filter((d) => d >= from && d <= day);
  const reports = (await Promise.all(wanted.map((d) => reader.report(d)))).filter((r): r is NightReport => r !== undefined);
  return assessNight(day, reports);
}

/** A page of one night's quarantined rows for one table; `total` counts all of them. */
export async function readRejects(store: ObjectStore, table: string, dt: string, offset: number, limit: number): Promise<{ total: number; rows: RejectRow[] } | undefined> {
  const bytes = await store.get(rejectsKey(table, dt));
  if (!bytes) return undefined;
  const rows: RejectRow[] = [];
  let total = -1; // the header row
  for (const r of parseCsv(new TextDecoder().decode(bytes))) {
    total++;
    if (total === 0) {
      if (r.fields.join(',') !== REJECT_HEADER.join(',')) throw new Error(`隔离文件格式不符 / unexpected quarantine file layout: ${rejectsKey(table, dt)}`);
      continue;
    }
    if (total <= offset || rows.length >= limit) continue;
    const [sourceFile = '', line = '0', field = '', code = '', reasonZh = '', reasonEn = '', raw = ''] = r.fields;
    rows.push({ sourceFile, line: Number(line), field, code, reasonZh, reasonEn, raw });
  }
  return { total: Math.max(0, total), rows };
}

/** The newest ingest report on or before `asOf`, with the data-quality verdict on that night. */
export async function pipelineStatus(store: ObjectStore, asOf: string, reader = new ReportReader(store)): Promise<PipelineStatus> {
  const newest = (await reader.reported()).filter((d) => d <= asOf).at(-1);
  const report = newest ? await reader.report(newest) : undefined;
  if (!newest || !report) return { lastNight: null, lastIngestFinishedAt: null, rejectedRows: 0, quality: null };
  const q = await assessQuality(store, newest, reader);
  const count = (sev: string): number => q?.issues.filter((i) => i.severity === sev).length ?? 0;
  return {
    lastNight: report.dt, lastIngestFinishedAt: report.finishedAt, rejectedRows: report.totals.rejected,
    quality: q ? {
      status: q.status, issues: { P1: count('P1'), P2: count('P2'), P3: count('P3') },
      sources: q.sources.filter((s) => s.kind !== 'reference').map((s) => ({ table: s.table, zh: s.zh, en: s.en, status: s.status, lastGoodNight: s.lastGoodNight })),
    } : null,
  };
}


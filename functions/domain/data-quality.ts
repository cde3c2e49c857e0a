/**
 * Data-quality assessment of one night from the ingest reports of that night and the weeks before it:
 * per source, whether it arrived, complete and on time, with volumes against the same weekday's typical range.
 * Pure: the caller reads the reports (pipeline/quality.ts).
 */
import { addDays, monthStart, shiftMonths, toDayNumber } from './calendar.ts';
import { TABLES, type SourceSystem, type TableKind, type TableSpec } from './contract.ts';
import type { NightReport, TableReport } from './ingest-report.ts';

export type Severity = 'P1' | 'P2' | 'P3';
export type QualityStatus = 'ok' | 'warn' | 'critical';

export type QualityIssueCode =
  | 'no_ingest' | 'missing_source' | 'volume_collapse' | 'volume_low' | 'volume_high' | 'file_refused' | 'truncated'
  | 'rejection_rate' | 'late' | 'references_unchecked' | 'ignored_files' | 'partition_kept';

export interface QualityIssue {
  severity: Severity;
  code: QualityIssueCode;
  table?: string;
  zh: string;
  en: string;
}

export interface SourceNight {
  dt: string;
  rowsRead: number;
  accepted: number;
  rejected: number;
  duplicates: number;
}

export interface SourceQuality {
  table: string;
  zh: string;
  en: string;
  kind: TableKind;
  system: SourceSystem;
  status: QualityStatus;
  /** Newest night on or before the date with a usable delivery of this source, and when it was ingested. */
  lastGoodNight: string | null;
  lastIngestedAt: string | null;
  tonight: (SourceNight & { files: number; refusedFiles: number; lateMinutes: number }) | null;
  /** Accepted rows on the same weekday over the previous weeks that had a delivery (daily sources, ≥ 3 weeks). */
  typical: { median: number; low: number; high: number; weeks: number } | null;
  /** Nights in the last `COMPLETENESS_NIGHTS` with a usable delivery, against the nights the source was expected. */
  completeness: { delivered: number; expected: number } | null;
  /** Rejected rows ÷ rows read, per night, oldest first. */
  trend: SourceNight[];
  /** Tonight's rejection reasons by field and code, most frequent first. */
  reasons: { field: string; code: string; count: number }[];
}

export interface QualityAssessment {
  date: string;
  /** The night whose report was assessed (the date itself), or null when it has none. */
  night: string | null;
  ingestedAt: string | null;
  status: QualityStatus;
  issues: QualityIssue[];
  sources: SourceQuality[];
  totals: { files: number; rowsRead: number; accepted: number; rejected: number; duplicates: number } | null;
}

/** Tunables; the hospital's configuration can override them. */
export interface QualityThresholds {
  /** Below this share of the same weekday's median: a collapse (P1). */
  collapseRatio: number;
  /** Below the usual range and below this share of the median: low (P3). Ordinary variation stays quiet. */
  lowRatio: number;
  /** Above this multiple of the median: unusually high (P3). */
  highRatio: number;
  /**
   * A volume flag also needs |accepted − median| > noiseZ × √median: daily counts vary like Poisson counts, so
   * 5 operations against a usual 8 is noise, while 500 visits against a usual 1,000 is not.
   */
  noiseZ: number;
  /** Rejected ÷ read above which a source gets a P2, and a P1. */
  rejectWarn: number;
  rejectCritical: number;
  /** Minutes late that make a P2 instead of a P3. */
  lateWarnMinutes: number;
  /** Day of the month by which last month's monthly extracts are due. */
  monthlyDueDay: number;
  /** A delivery more than this many days after its deadline is history being loaded (a backfill), not flagged late. */
  backfillDays: number;
}

export const DEFAULT_THRESHOLDS: QualityThresholds = {
  collapseRatio: 0.5, lowRatio: 0.8, highRatio: 2, noiseZ: 2.5, rejectWarn: 0.01, rejectCritical: 0.1, lateWarnMinutes: 240, monthlyDueDay: 10, backfillDays: 7,
};

export const TREND_NIGHTS = 30;
export const COMPLETENESS_NIGHTS = 30;
/** Weeks of same-weekday history for the typical range. */
export const BASELINE_WEEKS = 8;
/** How many nights of reports the assessment needs before the date (covers two monthly closings and the baseline). */
export const HISTORY_NIGHTS = 75;

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

const sum = (t: TableReport, k: 'rowsRead' | 'accepted' | 'rejected' | 'duplicates'): number => t.files.reduce((s, f) => s + f[k], 0);
const usable = (t: TableReport | undefined): boolean => !!t && t.files.some((f) => !f.refused);
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

function worst(issues: readonly QualityIssue[]): QualityStatus {
  if (issues.some((i) => i.severity === 'P1')) return 'critical';
  return issues.length ? 'warn' : 'ok';
}

/** What a night needs to judge its sources: the date, the thresholds, its report and any night's table report. */
interface NightContext {
  date: string;
  thresholds: QualityThresholds;
  report: NightReport | undefined;
  table: (dt: string, name: string) => TableReport | undefined;
}

/** A source expected tonight that did not come: a daily one delivered in the week before, a monthly closing once due. */
function expectedIssues({ date, thresholds, report, table }: NightContext, spec: TableSpec, t: TableReport | undefined, delivered: readonly string[]): QualityIssue[] {
  const own: QualityIssue[] = [];
  // Expected tonight? Daily: delivered in the week before. Monthly: last month's closing once it is due.
  let expected = false;
  if (spec.kind === 'daily') expected = delivered.some((d) => d >= addDays(date, -7));
  const prevMonth = shiftMonths(monthStart(date), -1);
  if (spec.kind === 'monthly' && Number(date.slice(8, 10)) > thresholds.monthlyDueDay) {
    const hadBefore = usable(table(shiftMonths(prevMonth, -1), spec.name));
    expected = hadBefore && !usable(table(prevMonth, spec.name));
    if (expected) {
      own.push({ severity: 'P2', code: 'missing_source', table: spec.name,
        zh: `${spec.zh}（${spec.name}）${prevMonth.slice(0, 7)} 月结数据应于 ${thresholds.monthlyDueDay} 日前送达，至今未到`,
        en: `${spec.en} (${spec.name}) for ${prevMonth.slice(0, 7)} was due by day ${thresholds.monthlyDueDay} and has not arrived` });
    }
  }
  if (spec.kind === 'daily' && expected && !t && report) {
    own.push({ severity: 'P1', code: 'missing_source', table: spec.name,
      zh: `${spec.zh}（${spec.name}）今晚没有送达，而前 7 晚都有`, en: `${spec.en} (${spec.name}) did not arrive tonight, though it did in the week before` });
  }
  return own;
}

/** Tonight's delivery of a source: its counts, refused files, kept partitions, cut records, rejection rate, lateness, unchecked codes. */
function tonightOf({ date, thresholds }: NightContext, spec: TableSpec, t: TableReport, own: QualityIssue[]): { tonight: NonNullable<SourceQuality['tonight']>; reasons: SourceQuality['reasons'] } {
  const reasons: SourceQuality['reasons'] = [];
  const refused = t.files.filter((f) => f.refused);
  const tonight = {
    dt: date, rowsRead: sum(t, 'rowsRead'), accepted: sum(t, 'accepted'), rejected: sum(t, 'rejected'), duplicates: sum(t, 'duplicates'),
    files: t.files.length, refusedFiles: refused.length, lateMinutes: Math.max(0, ...t.files.map((f) => f.lateMinutes ?? 0)),
  };
  for (const f of refused) own.push({ severity: 'P1', code: 'file_refused', table: spec.name, zh: f.refused!.zh, en: f.refused!.en });
  if (t.partitionKept) own.push({ severity: 'P1', code: 'partition_kept', table: spec.name, zh: `${spec.name}：${t.partitionKept.zh}`, en: `${spec.name}: ${t.partitionKept.en}` });
  for (const f of t.files) for (const w of f.warnings ?? []) own.push({ severity: 'P1', code: 'truncated', table: spec.name, zh: w.zh, en: w.en });
  const rate = tonight.rowsRead ? tonight.rejected / tonight.rowsRead : 0;
  if (refused.length === 0 && rate > thresholds.rejectWarn) {
    own.push({ severity: rate > thresholds.rejectCritical ? 'P1' : 'P2', code: 'rejection_rate', table: spec.name,
      zh: `${spec.zh}（${spec.name}）拒收 ${tonight.rejected} 行，占 ${pct(rate)}，见隔离区`, en: `${spec.en} (${spec.name}): ${tonight.rejected} rows rejected (${pct(rate)}); see the quarantine` });
  }
  // Beyond `backfillDays` after its deadline a delivery is a load of history (a backfill), not a late night.
  if (tonight.lateMinutes > 0 && tonight.lateMinutes <= thresholds.backfillDays * 1440) {
    own.push({ severity: tonight.lateMinutes > thresholds.lateWarnMinutes ? 'P2' : 'P3', code: 'late', table: spec.name,
      zh: `${spec.zh}（${spec.name}）晚于截止时间 ${tonight.lateMinutes} 分钟送达`, en: `${spec.en} (${spec.name}) arrived ${tonight.lateMinutes} minutes after its deadline` });
  }
  if (spec.kind !== 'reference' && t.referencesSkipped.length) {
    const later = t.referencesFirstLater ?? {};
    const dated = t.referencesSkipped.filter((r) => later[r]);
    const never = t.referencesSkipped.filter((r) => !later[r]);
    if (never.length) {
      own.push({ severity: 'P3', code: 'references_unchecked', table: spec.name,
        zh: `${spec.name} 的编码未校验：参考表 ${never.join('、')} 尚未送达`, en: `${spec.name}: codes not checked because reference tables ${never.join(', ')} were never delivered` });
    }
    // Delivered, but dated after these facts: nothing was in force on this night, so nothing was checked. Say how to fix it.
    if (dated.length) {
      own.push({ severity: 'P2', code: 'references_unchecked', table: spec.name,
        zh: `${spec.name} 在 ${date} 的编码未校验：参考表 ${dated.map((r) => `${r}（最早版本日期 ${later[r]}）`).join('、')} 在这一晚还没有生效的版本；请把参考表按不晚于 ${date} 的日期投递（或重新注明日期）后重新导入`,
        en: `${spec.name} on ${date}: codes NOT checked: no version of ${dated.map((r) => `${r} (first version dated ${later[r]})`).join(', ')} was in force on this night; deliver the reference table dated on or before ${date} (or re-date it) and ingest again` });
    }
  }
  for (const [k, count] of Object.entries(t.rejectReasons)) {
    const [field, code] = k.split(':') as [string, string];
    reasons.push({ field, code, count });
  }
  reasons.sort((a, b) => b.count - a.count || (a.field < b.field ? -1 : 1));
  return { tonight, reasons };
}

/** A daily source's volume against the same weekday over the weeks before: a collapse, a dip, a surge. */
function volumeIssues({ date, thresholds, table }: NightContext, spec: TableSpec, tonight: SourceQuality['tonight'], own: QualityIssue[]): SourceQuality['typical'] {
  let typical: SourceQuality['typical'] = null;
  const samples: number[] = [];
  for (let w = 1; w <= BASELINE_WEEKS; w++) {
    const past = table(addDays(date, -7 * w), spec.name);
    if (usable(past)) samples.push(sum(past!, 'accepted'));
  }
  if (samples.length >= 3) typical = { median: median(samples), low: Math.min(...samples), high: Math.max(...samples), weeks: samples.length };
  if (typical && tonight && tonight.refusedFiles < tonight.files && typical.median > 0) {
    const ratio = tonight.accepted / typical.median;
    const z = (tonight.accepted - typical.median) / Math.sqrt(typical.median);
    if (Math.abs(z) <= thresholds.noiseZ) {
      // within ordinary variation for a count of this size
    } else if (ratio < thresholds.collapseRatio) {
      own.push({ severity: 'P1', code: 'volume_collapse', table: spec.name,
        zh: `${spec.zh}（${spec.name}）只有 ${tonight.accepted} 行，不到同星期几中位数 ${typical.median} 的 ${pct(thresholds.collapseRatio)}：抽取可能不完整`,
        en: `${spec.en} (${spec.name}) has ${tonight.accepted} rows, under ${pct(thresholds.collapseRatio)} of the same weekday's median ${typical.median}: the extract may be incomplete` });
    } else if (tonight.accepted < typical.low && ratio < thresholds.lowRatio) {
      own.push({ severity: 'P3', code: 'volume_low', table: spec.name,
        zh: `${spec.zh}（${spec.name}）${tonight.accepted} 行，低于同星期几的常见范围 ${typical.low}–${typical.high}`,
        en: `${spec.en} (${spec.name}): ${tonight.accepted} rows, below the same weekday's usual ${typical.low}–${typical.high}` });
    } else if (ratio > thresholds.highRatio) {
      own.push({ severity: 'P3', code: 'volume_high', table: spec.name,
        zh: `${spec.zh}（${spec.name}）${tonight.accepted} 行，超过同星期几中位数的 ${thresholds.highRatio} 倍：是否重复投递？`,
        en: `${spec.en} (${spec.name}): ${tonight.accepted} rows, over ${thresholds.highRatio}× the same weekday's median: delivered twice?` });
    }
  }
  return typical;
}

/**
 * Assesses night `date` given the reports of that night and up to `HISTORY_NIGHTS` nights before (any order, gaps allowed).
 */
export function assessNight(date: string, reports: readonly NightReport[], thresholds: QualityThresholds = DEFAULT_THRESHOLDS): QualityAssessment {
  const byNight = new Map(reports.filter((r) => r.dt <= date).map((r) => [r.dt, r]));
  const report = byNight.get(date);
  const table = (dt: string, name: string): TableReport | undefined => byNight.get(dt)?.tables.find((t) => t.table === name);
  const n: NightContext = { date, thresholds, report, table };
  const issues: QualityIssue[] = [];
  if (!report && byNight.size > 0) {
    issues.push({ severity: 'P1', code: 'no_ingest', zh: `${date} 这一晚没有任何抽取文件到达或尚未导入`, en: `No extracts arrived (or were ingested) for the night of ${date}` });
  }
  for (const f of report?.ignoredFiles ?? []) {
    issues.push({ severity: 'P3', code: 'ignored_files', zh: `${f.key}：${f.zh}`, en: `${f.key}: ${f.en}` });
  }

  const sources: SourceQuality[] = [];
  for (const spec of TABLES) {
    const own: QualityIssue[] = [];
    const t = table(date, spec.name);
    const history = [...byNight.keys()].filter((d) => d < date).sort();
    const delivered = history.filter((d) => usable(table(d, spec.name)));
    const last = [...delivered, ...(usable(t) ? [date] : [])].at(-1) ?? null;

    own.push(...expectedIssues(n, spec, t, delivered));

    let tonight: SourceQuality['tonight'] = null;
    let typical: SourceQuality['typical'] = null;
    let reasons: SourceQuality['reasons'] = [];
    if (t) ({ tonight, reasons } = tonightOf(n, spec, t, own));
    if (spec.kind === 'daily') typical = volumeIssues(n, spec, tonight, own);

    const trend: SourceNight[] = [];
    for (const d of history.filter((x) => x > addDays(date, -TREND_NIGHTS)).concat(t ? [date] : [])) {
      const x = table(d, spec.name);
      if (x) trend.push({ dt: d, rowsRead: sum(x, 'rowsRead'), accepted: sum(x, 'accepted'), rejected: sum(x, 'rejected'), duplicates: sum(x, 'duplicates') });
    }
    let completeness: SourceQuality['completeness'] = null;
    if (spec.kind === 'daily' && last) {
      const first = [...byNight.keys()].sort().find((d) => table(d, spec.name)) ?? date;
      const from = [addDays(date, -(COMPLETENESS_NIGHTS - 1)), first].sort().at(-1)!;
      const expectedNights = toDayNumber(date) - toDayNumber(from) + 1;
      const got = [...delivered, ...(usable(t) ? [date] : [])].filter((d) => d >= from).length;
      completeness = { delivered: got, expected: expectedNights };
    }
    if (!t && !last) continue; // a source this hospital has never sent
    sources.push({
      table: spec.name, zh: spec.zh, en: spec.en, kind: spec.kind, system: spec.source, status: worst(own),
      lastGoodNight: last, lastIngestedAt: last ? byNight.get(last)!.finishedAt : null,
      tonight, typical, completeness, trend, reasons,
    });
    issues.push(...own);
  }
  const order: Record<Severity, number> = { P1: 0, P2: 1, P3: 2 };
  issues.sort((a, b) => order[a.severity] - order[b.severity]);
  return {
    date, night: report ? date : null, ingestedAt: report?.finishedAt ?? null, status: worst(issues), issues, sources,
    totals: report ? { ...report.totals } : null,
  };
}

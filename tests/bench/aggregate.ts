/**
 * Aggregate at each scale over the cached demo hospitals: every snapshot of one night (campus, DRG, budget and
 * department views, then the night's alerts) run several times, and a year of nights as `opsdeck aggregate --from --to`
 * runs a backfill (campus, budget and departments night by night, DRG from one read of the cases). BENCH_YEAR_SCALES
 * picks the scales that get the year (default s,m,l).
 * The night's reference, run alternately with it: DuckDB reading the same columns over the same partitions as the
 * night's statements (lake.ts's NIGHT_READS), hashing them (MAX of a row hash) and computing nothing else — the I/O floor of the step.
 * The year's reference is 365 times the night's median: what a backfill would cost night by night.
 */
import { addDays } from '../../functions/domain/calendar.ts';
import type { Scale } from '../../functions/local/demo/hospital.ts';
import { aggregateCampusScreen, aggregateNight } from '../../functions/pipeline/aggregate.ts';
import { aggregateDrgRange } from '../../functions/pipeline/drg.ts';
import { aggregateFinance } from '../../functions/pipeline/finance.ts';
import { ReportReader } from '../../functions/lake/reports.ts';
import type { LocalRuntime } from '../../functions/local/runtime.ts';
import { BENCH_END, dataset, openDataset, spread, type Spread } from './datasets.ts';
import { NIGHT_READS, statementReads } from './lake.ts';
import type { BenchOutput, SummaryRow } from './summary.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);

export interface AggregateFigures {
  scale: Scale;
  night: { seconds: Spread; snapshots: number; parts: Record<string, number>; readFloor: Spread };
  year?: { seconds: number; nights: number; snapshots: number; perNightMs: number; drgSeconds: number };
}

/** One statement per night's read: every column it names over its window, hashed, nothing else computed. */
const FLOOR_READS = NIGHT_READS.map(([name, days]) => {
  const { table, columns } = statementReads(name);
  return { sql: `SELECT MAX(hash(${columns.join(', ')})) AS h FROM {{${table}}} WHERE dt BETWEEN ? AND ?`, days };
});

/** The night's reads without the aggregate's work (seconds). */
async function readFloor(rt: LocalRuntime, night: string): Promise<number> {
  const t = performance.now();
  for (const { sql, days } of FLOOR_READS) await rt.engine.query(sql, { params: [addDays(night, 1 - days), night] });
  return (performance.now() - t) / 1000;
}

export async function aggregateFigures(scale: Scale, withYear: boolean): Promise<AggregateFigures> {
  const rt = await openDataset(await dataset(scale));
  try {
    const times: number[] = [];
    const floor: number[] = [];
    let snapshots = 0;
    let parts: Record<string, number> = {};
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      const r = await aggregateNight(rt.aggregateDeps, BENCH_END);
      times.push((performance.now() - t) / 1000);
      snapshots = r.campus.snapshots + r.drg.snapshots + r.finance.snapshots;
      parts = { campus: r.campus.elapsedMs / 1000, drg: r.drg.elapsedMs / 1000, finance: r.finance.elapsedMs / 1000, ...(r.alerts ? { alerts: r.alerts.elapsedMs / 1000 } : {}) };
      floor.push(await readFloor(rt, BENCH_END));
    }
    let year: AggregateFigures['year'];
    if (withYear) {
      const nights: string[] = [];
      for (let d = addDays(BENCH_END, -364); d <= BENCH_END; d = addDays(d, 1)) nights.push(d);
      const t = performance.now();
      const reports = new ReportReader(rt.store);
      const activity = new Map();
      let count = 0;
      for (const night of nights) {
        count += (await aggregateCampusScreen(rt.aggregateDeps, night, reports)).snapshots;
        count += (await aggregateFinance({ ...rt.aggregateDeps, alertRules: rt.alertRules }, night, reports, activity)).snapshots;
      }
      const drg = await aggregateDrgRange(rt.aggregateDeps, nights);
      const seconds = (performance.now() - t) / 1000;
      year = { seconds, nights: nights.length, snapshots: count + drg.snapshots, perNightMs: (seconds * 1000) / nights.length, drgSeconds: drg.elapsedMs / 1000 };
    }
    return { scale, night: { seconds: spread(times), snapshots, parts, readFloor: spread(floor) }, ...(year ? { year } : {}) };
  } finally {
    await rt.close();
  }
}

export function aggregateLines(all: AggregateFigures[]): string[] {
  const out = [`## Aggregate: every snapshot of one night (${BENCH_END}), ${RUNS} runs, and a year of nights as a backfill`, '',
    '| scale | one night: snapshots | median (min–max) | of which campus / DRG / budget+departments / alerts (last run) | reading the same columns and partitions | a year: nights | snapshots | time | per night | of which DRG |', '|---|---|---|---|---|---|---|---|---|---|'];
  for (const f of all) {
    const p = f.night.parts;
    out.push(`| ${f.scale} | ${f.night.snapshots} | ${f.night.seconds.median.toFixed(2)} s (${f.night.seconds.min.toFixed(2)}–${f.night.seconds.max.toFixed(2)}) | ${[p.campus, p.drg, p.finance, p.alerts].map((x) => (x === undefined ? '—' : x.toFixed(2))).join(' / ')} s | ${f.night.readFloor.median.toFixed(2)} s | `
      + (f.year ? `${f.year.nights} | ${f.year.snapshots.toLocaleString('en')} | ${f.year.seconds.toFixed(0)} s | ${f.year.perNightMs.toFixed(0)} ms | ${f.year.drgSeconds.toFixed(0)} s |` : '— | — | — | — | — |'));
  }
  out.push('');
  return out;
}

export function aggregateSummary(f: AggregateFigures): SummaryRow[] {
  const n = f.night;
  const rows: SummaryRow[] = [{
    scale: f.scale, measure: `aggregate one night (${n.snapshots} snapshots and the alerts)`, value: `${n.seconds.median.toFixed(2)} s`,
    reference: `reading the same columns and partitions, nothing computed: ${n.readFloor.median.toFixed(2)} s`, ratio: n.seconds.median / n.readFloor.median,
  }];
  if (f.year) {
    const nightByNight = f.year.nights * n.seconds.median;
    rows.push({
      scale: f.scale, measure: `aggregate a year of nights as a backfill (${f.year.snapshots.toLocaleString('en')} snapshots)`, value: `${f.year.seconds.toFixed(0)} s, ${f.year.perNightMs.toFixed(0)} ms a night`,
      reference: `${f.year.nights} × one night: ${nightByNight.toFixed(0)} s`, ratio: f.year.seconds / nightByNight,
    });
  }
  return rows;
}

export async function aggregateBench(): Promise<BenchOutput> {
  const years = new Set((process.env.BENCH_YEAR_SCALES ?? 's,m,l').split(','));
  const figures: AggregateFigures[] = [];
  for (const s of ['s', 'm', 'l'] as const) figures.push(await aggregateFigures(s, years.has(s)));
  return { lines: aggregateLines(figures), figures, summary: figures.flatMap(aggregateSummary) };
}

/**
 * Drill-down latency: a fixed set of analyst queries over one year (2025, with 2024 for YoY) at scales m and l, through
 * the whole API (token check, validation, the explorer, JSON), each run several times with the explorer's cache
 * emptied before every request. The same app over PostgreSQL (the peer a hospital BI team would use: started here on
 * loopback, the same rows COPYed in, indexed and analysed) answers the same requests with the same SQL files. Also the
 * sizes of the exports.
 */
import { createApp } from '../../functions/api/app.ts';
import { apiCaches, type ApiCaches } from '../../functions/api/cache.ts';
import type { QueryEngine } from '../../functions/ports.ts';
import { tokenFor, withToken } from '../support/access.ts';
import { dataset, ms, openDataset, spread, type Spread } from './datasets.ts';
import { havePostgres, loadTables, PostgresEngine, startPostgres } from './postgres.ts';
import type { BenchOutput, SummaryRow } from './summary.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const Y = 'period=year&date=2025-06-30';
/** What an analyst asks in a morning: breakdowns at each level, comparisons, a trend, income structure, the rows behind a figure. */
export const DRILL_QUERIES: { id: string; path: string }[] = [
  { id: 'revenue by department, YoY', path: `/api/explore?kpi=medical_revenue&dim=department&${Y}&compare=yoy` },
  { id: 'revenue by ward in one campus, YoY', path: `/api/explore?kpi=medical_revenue&dim=ward&${Y}&compare=yoy&campus=C01` },
  { id: 'drug share by doctor group in one department, target', path: `/api/explore?kpi=drug_share&dim=doctor_group&${Y}&compare=target&department=D101` },
  { id: 'outpatient visits by doctor, December, MoM', path: '/api/explore?kpi=outpatient_visits&dim=doctor&period=month&date=2025-12-31&compare=mom' },
  { id: 'bed occupancy by ward, target band', path: `/api/explore?kpi=bed_occupancy&dim=ward&${Y}&compare=target` },
  { id: 'average stay by DRG group', path: `/api/explore?kpi=avg_los&dim=drg&${Y}` },
  { id: 'revenue by month, YoY', path: `/api/explore?kpi=medical_revenue&dim=month&${Y}&compare=yoy` },
  { id: 'income structure Q4, YoY', path: '/api/explore?kpi=medical_revenue&dim=fee_category&period=quarter&date=2025-12-31&compare=yoy' },
  { id: 'direct cost by element vs budget', path: `/api/explore?kpi=direct_cost&dim=cost_element&${Y}&compare=budget` },
  { id: 'rows behind a department\'s discharges (page 1)', path: `/api/explore/detail?kpi=discharges&${Y}&department=D101&limit=100` },
];
/** The charge-lines page (the last 62 nights of the dataset keep their lines): a month by item, a week's patients, an alert's drills. */
export const CHARGE_QUERIES: { id: string; path: string }[] = [
  { id: 'charges by item, December', path: '/api/explore/charges?by=item&from=2025-12-01&to=2025-12-31' },
  { id: 'one department\'s charges by patient, a week', path: '/api/explore/charges?by=patient&from=2025-12-25&to=2025-12-31&department=D101' },
  { id: 'one item\'s daily use in one department, 60 days (drug-use alert)', path: '/api/explore/charges?by=day&from=2025-11-01&to=2025-12-30&department=D102&item=X03' },
  { id: 'one item\'s lines on one day (page 1)', path: '/api/explore/charges?by=lines&from=2025-12-31&to=2025-12-31&item=B01&limit=100' },
];
const BIG_CSV = '50,000 rows behind December revenue (CSV)';
const BIG_XLSX = '50,000 rows behind December revenue (XLSX)';
const TABLES = ['campuses', 'departments', 'wards', 'doctor_groups', 'doctors', 'drg_groups', 'outpatient_visits', 'inpatient_cases', 'bed_census', 'surgeries', 'department_costs', 'budget_plan', 'charge_items', 'charge_lines'];

export interface DrillFigures {
  scale: string;
  rows: Record<string, number>;
  duckdb: { overall: Spread; byQuery: Record<string, Spread> };
  postgres?: { version: string; loadSeconds: number; overall: Spread; byQuery: Record<string, Spread>; charges: { overall: Spread; byQuery: Record<string, Spread> } };
  charges: { overall: Spread; byQuery: Record<string, Spread> };
  exports: Record<string, number>;
}

async function measure({ app, caches }: { app: ReturnType<typeof createApp>; caches: ApiCaches }, token: string, queries = DRILL_QUERIES): Promise<{ overall: Spread; byQuery: Record<string, Spread> }> {
  const all: number[] = [];
  const byQuery: Record<string, Spread> = {};
  for (const q of queries) {
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      caches.clear();
      const t = performance.now();
      const res = await app.request(q.path, withToken(token));
      const body = await res.text();
      if (res.status !== 200) throw new Error(`${q.path}: ${res.status} ${body.slice(0, 300)}`);
      times.push(performance.now() - t);
    }
    // The first run reads the files cold; the figure is the warm median, the spread shows both.
    byQuery[q.id] = spread(times);
    all.push(...times);
  }
  return { overall: spread(all), byQuery };
}

export async function drillFigures(scale: 'm' | 'l'): Promise<DrillFigures> {
  const d = await dataset(scale);
  const rt = await openDataset(d);
  try {
    const token = await tokenFor(rt, { roles: ['analyst'] });
    const appOn = (engine: QueryEngine) => {
      const caches = apiCaches(rt.clock);
      return { app: createApp({ snapshots: rt.snapshots, store: rt.store, engine, targets: rt.targets, clock: rt.clock, version: 'bench', access: rt.access, caches }), caches };
    };
    const duck = appOn(rt.engine);
    const duckdb = await measure(duck, token);
    const charges = await measure(duck, token, CHARGE_QUERIES);
    const exports: Record<string, number> = {};
    for (const [name, path] of [
      ['revenue by department, YoY (CSV)', `${DRILL_QUERIES[0]!.path}&format=csv`], ['revenue by department, YoY (XLSX)', `${DRILL_QUERIES[0]!.path}&format=xlsx`],
      ['outpatient visits by doctor (XLSX)', `${DRILL_QUERIES[3]!.path}&format=xlsx`],
      [BIG_CSV, '/api/explore/detail?kpi=medical_revenue&period=month&date=2025-12-31&limit=50000&format=csv'],
      [BIG_XLSX, '/api/explore/detail?kpi=medical_revenue&period=month&date=2025-12-31&limit=50000&format=xlsx'],
    ] as const) {
      duck.caches.clear();
      const t = performance.now();
      const res = await duck.app.request(path, withToken(token));
      exports[name] = (await res.arrayBuffer()).byteLength;
      exports[`${name} ms`] = performance.now() - t;
    }
    let postgres: DrillFigures['postgres'];
    if (havePostgres()) {
      const server = await startPostgres();
      try {
        const load = await loadTables(server, rt.engine, TABLES);
        const pgApp = appOn(new PostgresEngine(server.client));
        const peer = await measure(pgApp, token);
        postgres = { version: server.version, loadSeconds: load.seconds, ...peer, charges: await measure(pgApp, token, CHARGE_QUERIES) };
      } finally {
        await server.stop();
      }
    }
    return { scale, rows: d.rows, duckdb, charges, ...(postgres ? { postgres } : {}), exports };
  } finally {
    await rt.close();
  }
}

export function drillLines(f: DrillFigures): string[] {
  const lines = [`## Drill-down at scale ${f.scale}: ${DRILL_QUERIES.length} analyst queries over 2025 (2024 for YoY), ${RUNS} runs each, cache emptied before every request`,
    `rows: ${['outpatient_visits', 'inpatient_cases', 'bed_census'].map((t) => `${t} ${(f.rows[t] ?? 0).toLocaleString('en')}`).join(', ')} (two years)`,
    '',
    `| query | DuckDB median (p95) ms | PostgreSQL ${f.postgres?.version ?? '—'} median (p95) ms | DuckDB ÷ PostgreSQL |`,
    '|---|---|---|---|'];
  for (const q of DRILL_QUERIES) {
    const a = f.duckdb.byQuery[q.id]!;
    const b = f.postgres?.byQuery[q.id];
    lines.push(`| ${q.id} | ${ms(a.median)} (${ms(a.p95)}) | ${b ? `${ms(b.median)} (${ms(b.p95)})` : '—'} | ${b ? (a.median / b.median).toFixed(2) : '—'} |`);
  }
  const a = f.duckdb.overall;
  const b = f.postgres?.overall;
  lines.push(`| **all requests** | **p50 ${ms(a.median)}, p95 ${ms(a.p95)}** | ${b ? `**p50 ${ms(b.median)}, p95 ${ms(b.p95)}**` : '—'} | ${b ? `p50 ${(a.median / b.median).toFixed(2)}, p95 ${(a.p95 / b.p95).toFixed(2)}` : '—'} |`, '');
  lines.push(`### Charge lines at scale ${f.scale}: ${CHARGE_QUERIES.length} queries of the charge-lines page (${(f.rows.charge_lines ?? 0).toLocaleString('en')} lines over 62 nights)`, '',
    `| query | DuckDB median (p95) ms | PostgreSQL median (p95) ms | DuckDB ÷ PostgreSQL |`, '|---|---|---|---|');
  for (const q of CHARGE_QUERIES) {
    const x = f.charges.byQuery[q.id]!;
    const y = f.postgres?.charges.byQuery[q.id];
    lines.push(`| ${q.id} | ${ms(x.median)} (${ms(x.p95)}) | ${y ? `${ms(y.median)} (${ms(y.p95)})` : '—'} | ${y ? (x.median / y.median).toFixed(2) : '—'} |`);
  }
  lines.push('');
  if (f.postgres) lines.push(`PostgreSQL load (COPY of ${TABLES.length} tables, indexes, ANALYZE): ${f.postgres.loadSeconds.toFixed(1)} s`);
  else lines.push('PostgreSQL: not installed (apt-get install postgresql), peer skipped');
  lines.push(`exports: ${Object.entries(f.exports).filter(([k]) => !k.endsWith(' ms')).map(([k, v]) => `${k} ${(v / 1024).toFixed(1)} KB in ${ms(f.exports[`${k} ms`]!)} ms`).join('; ')}`, '');
  return lines;
}

export function drillSummary(f: DrillFigures): SummaryRow[] {
  const a = f.duckdb.overall;
  const b = f.postgres?.overall;
  const peer = (x: number | undefined) => (x === undefined ? 'PostgreSQL not installed' : `PostgreSQL ${f.postgres!.version.split(' ')[0]}: ${ms(x)} ms`);
  const kb = (k: string) => `${(f.exports[k]! / 2 ** 20).toFixed(1)} MB in ${ms(f.exports[`${k} ms`]!)} ms`;
  return [
    { scale: f.scale, measure: `drill-down p50, ${DRILL_QUERIES.length} analyst queries over a year`, value: `${ms(a.median)} ms`, reference: peer(b?.median), ratio: b ? a.median / b.median : null },
    { scale: f.scale, measure: 'drill-down p95', value: `${ms(a.p95)} ms`, reference: peer(b?.p95), ratio: b ? a.p95 / b.p95 : null },
    { scale: f.scale, measure: `charge lines p50, ${CHARGE_QUERIES.length} queries of up to 60 days`, value: `${ms(f.charges.overall.median)} ms`, reference: peer(f.postgres?.charges.overall.median), ratio: f.postgres ? f.charges.overall.median / f.postgres.charges.overall.median : null },
    { scale: f.scale, measure: 'export of 50,000 rows as XLSX, time', value: kb(BIG_XLSX), reference: `the same rows as CSV: ${kb(BIG_CSV)}`, ratio: f.exports[`${BIG_XLSX} ms`]! / f.exports[`${BIG_CSV} ms`]! },
  ];
}

export async function exploreBench(): Promise<BenchOutput> {
  const scales = (process.env.BENCH_EXPLORE_SCALES ?? 'm,l').split(',') as ('m' | 'l')[];
  const figures: DrillFigures[] = [];
  for (const s of scales) figures.push(await drillFigures(s));
  return { lines: figures.flatMap(drillLines), figures, summary: figures.flatMap(drillSummary) };
}

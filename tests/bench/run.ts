/**
 * `npm run bench [-- name…]`: long measurements that print figures (never run by `npm test`).
 * Benchmarks: ingest (one night at scale l, a 30-night backfill at scale m, against DuckDB COPY as the ceiling);
 * drg (DRG snapshots for one night and for a year at scale m, and one night's alert evaluation there);
 * alerts (one night's alert evaluation at scale l); finance (budget and cost snapshots, one night and a month, at m and l); soak (500 kiosk slide changes in Chromium with
 * memory read after GC, first paint and the wall route's JS size); api (200 displays polling the screen API); lake (bytes per night
 * at scale l and the bytes one night's aggregate would scan on Athena); explore (drill-down p50/p95 at scales m and l
 * against PostgreSQL on the same queries, and export sizes); aggregate (every snapshot of a night, and a year's backfill, at
 * s, m and l). Demo hospitals for s/m/l are built once into bench/cache/ (tests/bench/datasets.ts) and reused.
 * Every run writes bench/results/<date>.json (machine, commit, each benchmark's lines and figures) and <date>.md.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../functions/local/web-build.ts';
import { drillFigures, drillLines } from './explore.ts';
import { aggregateFigures, aggregateLines } from './aggregate.ts';
import { alertsBench } from './alerts.ts';
import { apiBench } from './api.ts';
import { drgBench } from './drg.ts';
import { financeBench } from './finance.ts';
import { ingestBench } from './ingest.ts';
import { lakeBench } from './lake.ts';
import { soakBench } from './soak.ts';

/** A benchmark prints lines; the ones with structured figures return them too (kept in the results file). */
type Bench = () => Promise<string[] | { lines: string[]; figures: unknown }>;

async function exploreBench(): Promise<{ lines: string[]; figures: unknown }> {
  const scales = (process.env.BENCH_EXPLORE_SCALES ?? 'm,l').split(',') as ('m' | 'l')[];
  const figures = [];
  const lines: string[] = [];
  for (const s of scales) {
    const f = await drillFigures(s);
    figures.push(f);
    lines.push(...drillLines(f));
  }
  return { lines, figures };
}

async function aggregateBench(): Promise<{ lines: string[]; figures: unknown }> {
  const years = new Set((process.env.BENCH_YEAR_SCALES ?? 's,m,l').split(','));
  const figures = [];
  for (const s of ['s', 'm', 'l'] as const) figures.push(await aggregateFigures(s, years.has(s)));
  return { lines: aggregateLines(figures), figures };
}

const BENCHES: Record<string, Bench> = { aggregate: aggregateBench, ingest: ingestBench, drg: drgBench, alerts: alertsBench, finance: financeBench, soak: soakBench, api: apiBench, lake: lakeBench, explore: exploreBench };

const wanted = process.argv.slice(2);
const names = wanted.length ? wanted : Object.keys(BENCHES);
for (const n of names) if (!BENCHES[n]) throw new Error(`unknown benchmark "${n}"; known: ${Object.keys(BENCHES).join(', ')}`);
const machine = `node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(0)} GB`;
const commit = (() => { try { return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: PROJECT_ROOT, encoding: 'utf8' }).trim(); } catch { return 'unknown'; } })();
const started = new Date();
const header = `# OpsDeck benchmarks — ${machine}, commit ${commit}, ${started.toISOString()}`;
process.stdout.write(`${header}\n\n`);
const results: { name: string; seconds: number; lines: string[]; figures?: unknown }[] = [];
for (const n of names) {
  const t = performance.now();
  const out = await BENCHES[n]!();
  const lines = Array.isArray(out) ? out : out.lines;
  for (const line of lines) process.stdout.write(`${line}\n`);
  results.push({ name: n, seconds: (performance.now() - t) / 1000, lines, ...(Array.isArray(out) ? {} : { figures: out.figures }) });
}
const dir = join(PROJECT_ROOT, 'bench', 'results');
mkdirSync(dir, { recursive: true });
const stem = join(dir, `${started.toISOString().slice(0, 10)}${wanted.length ? `-${names.join('-')}` : ''}`);
writeFileSync(`${stem}.json`, `${JSON.stringify({ machine, commit, startedAt: started.toISOString(), benchmarks: results }, null, 2)}\n`);
writeFileSync(`${stem}.md`, `${header}\n\n${results.flatMap((r) => r.lines).join('\n')}\n`);
process.stdout.write(`results: ${stem}.json and .md\n`);

/**
 * `npm run bench [-- name…]`: long measurements that print figures (never run by `npm test`).
 * The suite (the default): ingest (one night and a 30-night backfill at s, m, l against DuckDB's own COPY of the same
 * CSV), aggregate (every snapshot of a night and a year's backfill at s, m, l against reading the same columns and
 * partitions), api (200 displays polling the screen API, against the health route under the same load), explore
 * (drill-down p50/p95 at m and l against PostgreSQL on the same SQL), web (JS/CSS per route against the full ECharts
 * import, first paint of a wall against a bare page, heap after many rotations against after warm-up), lake (bytes per
 * year at s, m, l against the same rows as CSV, and what Athena would scan against the whole partitions).
 * By name only: drg, alerts, finance (single steps at m and l); `readme` rebuilds the README's table from the results.
 * Demo hospitals for s/m/l are built once into bench/cache/ (tests/bench/datasets.ts) and reused. BENCH_RUNS sets how
 * many times each measurement repeats (each benchmark has its own default).
 * Every run writes bench/results/<date>[-names].json (machine, commit, each benchmark's lines, figures and summary rows)
 * and .md, then rebuilds the README's Performance table from the newest result of each benchmark.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../functions/local/web-build.ts';
import { exploreBench } from './explore.ts';
import { aggregateBench } from './aggregate.ts';
import { alertsBench } from './alerts.ts';
import { apiBench } from './api.ts';
import { drgBench } from './drg.ts';
import { financeBench } from './finance.ts';
import { ingestBench } from './ingest.ts';
import { lakeBench } from './lake.ts';
import { webBench } from './web.ts';
import { SUITE, SUMMARY_HEAD, summaryLines, updateReadme, type BenchOutput, type ResultsFile } from './summary.ts';

/** A benchmark prints lines; the suite's also return structured figures and summary rows (kept in the results file). */
type Bench = () => Promise<string[] | BenchOutput>;

// The suite (SUITE, run by default) and the single steps run by name (drg, alerts, finance).
const BENCHES: Record<string, Bench> = {
  ingest: ingestBench, aggregate: aggregateBench, api: apiBench, explore: exploreBench, web: webBench, lake: lakeBench,
  drg: drgBench, alerts: alertsBench, finance: financeBench,
};
const RESULTS = join(PROJECT_ROOT, 'bench', 'results');
const README = join(PROJECT_ROOT, 'README.md');

const wanted = process.argv.slice(2);
if (wanted.length === 1 && wanted[0] === 'readme') {
  updateReadme(README, RESULTS);
  process.stdout.write(`README.md: Performance table rebuilt from ${RESULTS}\n`);
  process.exit(0);
}
const names: readonly string[] = wanted.length ? wanted : SUITE;
for (const n of names) if (!(n in BENCHES)) throw new Error(`unknown benchmark "${n}"; known: ${Object.keys(BENCHES).join(', ')}, readme`);
const machine = `node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(0)} GB`;
const commit = (() => { try { return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: PROJECT_ROOT, encoding: 'utf8' }).trim(); } catch { return 'unknown'; } })();
const started = new Date();
const header = `# OpsDeck benchmarks — ${machine}, commit ${commit}, ${started.toISOString()}`;
process.stdout.write(`${header}\n\n`);
const results: ResultsFile['benchmarks'] = [];
mkdirSync(RESULTS, { recursive: true });
const stem = join(RESULTS, `${started.toISOString().slice(0, 10)}${wanted.length ? `-${names.join('-')}` : ''}`);
for (const n of names) {
  const t = performance.now();
  const out = await BENCHES[n]!();
  const lines = Array.isArray(out) ? out : out.lines;
  for (const line of lines) process.stdout.write(`${line}\n`);
  results.push({ name: n, seconds: (performance.now() - t) / 1000, lines, ...(Array.isArray(out) ? {} : { figures: out.figures, summary: out.summary }) });
  // Written after each benchmark, so a long run that is stopped keeps what it measured.
  const summary = results.flatMap((r) => summaryLines(r.name, r.summary ?? []));
  writeFileSync(`${stem}.json`, `${JSON.stringify({ machine, commit, startedAt: started.toISOString(), benchmarks: results } satisfies ResultsFile, null, 2)}\n`);
  writeFileSync(`${stem}.md`, `${header}\n\n${summary.length ? `## Summary: each figure against a reference measured in the same run\n\n${[...SUMMARY_HEAD, ...summary].join('\n')}\n\n` : ''}${results.flatMap((r) => r.lines).join('\n')}\n`);
}
updateReadme(README, RESULTS);
process.stdout.write(`results: ${stem}.json and .md; README.md's Performance table rebuilt\n`);

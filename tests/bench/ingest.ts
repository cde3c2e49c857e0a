/**
 * Ingest throughput, whole process, against DuckDB's own COPY of the same CSV files without validation (the ceiling):
 * one night and a 30-night backfill at each scale (s, m, l), each run BENCH_RUNS times (default 3) on a fresh copy of
 * the same generated files, ours and the ceiling's runs alternating so that both see the same machine.
 * Each `opsdeck ingest` runs as a fresh process (start-up, runtime, validation, Parquet, reports); the ceiling is a fresh
 * Node process that COPYs every landing CSV to zstd Parquet with DuckDB's CSV sniffer and nothing else.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spread, type Spread } from './datasets.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDemoHospital } from '../../functions/local/demo/generate.ts';
import type { Scale } from '../../functions/local/demo/hospital.ts';
import { PROJECT_ROOT } from '../../functions/local/web-build.ts';
import type { BenchOutput, SummaryRow } from './summary.ts';

const REGION_DIR = join(PROJECT_ROOT, 'data', 'regions', 'harbin-2024');
const END = '2026-11-22';
const TIME = '/usr/bin/time';

interface Run { ms: number; maxRssMb: number | null; output: string }

/** Runs a command in a fresh process; peak memory from GNU time when the machine has it. */
function run(cmd: string, args: string[], env: Record<string, string> = {}): Run {
  const withTime = existsSync(TIME);
  const started = performance.now();
  const r = spawnSync(withTime ? TIME : cmd, withTime ? ['-f', 'MAXRSS_KB=%M', cmd, ...args] : args, {
    cwd: PROJECT_ROOT, env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
  });
  const ms = performance.now() - started;
  const output = `${r.stdout}${r.stderr}`;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${output}`);
  const kb = /MAXRSS_KB=(\d+)/.exec(output)?.[1];
  return { ms, maxRssMb: kb ? Number(kb) / 1024 : null, output };
}

function csvFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (e.endsWith('.csv')) out.push(p);
    }
  };
  walk(join(dir, 'landing'));
  return out.sort();
}

/** DuckDB COPY of every landing CSV to Parquet in a fresh Node process: no decoding checks, no validation, no reports. */
function copyCeiling(dir: string): Run {
  const files = csvFiles(dir);
  const script = join(dir, 'copy-ceiling.mjs');
  writeFileSync(script, `
import { DuckDBInstance } from '${import.meta.resolve('@duckdb/node-api')}';
const files = ${JSON.stringify(files)};
const db = await DuckDBInstance.create(':memory:');
const conn = await db.connect();
let n = 0;
for (const f of files) {
  const r = await conn.run(\`COPY (SELECT * FROM read_csv('\${f}', header = true)) TO '\${f}.ceiling.parquet' (FORMAT parquet, COMPRESSION zstd)\`);
  n += Number(r.rowsChanged);
}
console.log('ROWS=' + n);
`);
  return run(process.execPath, [script]);
}

const mb = (x: number | null): string => (x === null ? 'n/a' : `${x.toFixed(0)} MB`);

const RUNS = Number(process.env.BENCH_RUNS ?? 3);

export interface IngestFigures { scale: Scale; nights: number; rows: number; csvBytes: number; ours: Spread; ceiling: Spread; ratio: number; oursRowsPerS: number; ceilingRowsPerS: number; peakMb: number | null }

async function bench(scale: Scale, days: number): Promise<IngestFigures> {
  const gen = mkdtempSync(join(tmpdir(), `opsdeck-bench-${scale}-`));
  try {
    const manifest = await generateDemoHospital({ outDir: gen, seed: 20240101, scale, endDate: END, days, regionDir: REGION_DIR });
    const rows = Object.values(manifest.rows).reduce((s, n) => s + n, 0);
    const csvBytes = csvFiles(gen).reduce((s, f) => s + statSync(f).size, 0);
    const ours: number[] = [];
    const top: number[] = [];
    let peakMb: number | null = null;
    for (let i = 0; i < RUNS; i++) {
      for (const which of ['ours', 'ceiling'] as const) {
        const dir = mkdtempSync(join(tmpdir(), `opsdeck-bench-run-${scale}-`));
        try {
          cpSync(gen, dir, { recursive: true });
          if (which === 'ours') {
            const r = run(process.execPath, ['--import', 'tsx', 'functions/local/cli.ts', 'ingest'], { OPSDECK_DATA: dir });
            ours.push(r.ms / 1000);
            peakMb = Math.max(peakMb ?? 0, r.maxRssMb ?? 0) || null;
          } else {
            const r = copyCeiling(dir);
            const copied = Number(/ROWS=(\d+)/.exec(r.output)?.[1]);
            if (copied !== rows) throw new Error(`ceiling copied ${copied} rows, generator wrote ${rows}`);
            top.push(r.ms / 1000);
          }
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }
    }
    const o = spread(ours);
    const c = spread(top);
    return { scale, nights: days, rows, csvBytes, ours: o, ceiling: c, ratio: o.median / c.median, oursRowsPerS: rows / o.median, ceilingRowsPerS: rows / c.median, peakMb };
  } finally {
    rmSync(gen, { recursive: true, force: true });
  }
}

export function ingestLines(all: IngestFigures[]): string[] {
  const out = [`## Ingest, whole process (\`opsdeck ingest\`), against DuckDB COPY of the same CSV without validation (the ceiling); ${RUNS} runs each, median (min–max)`, '',
    '| scale | nights | rows | CSV | opsdeck ingest | rows/s | ceiling (COPY) | rows/s | ingest ÷ ceiling | peak RSS |', '|---|---|---|---|---|---|---|---|---|---|'];
  for (const f of all) {
    out.push(`| ${f.scale} | ${f.nights} | ${f.rows.toLocaleString('en')} | ${(f.csvBytes / 1e6).toFixed(1)} MB | ${f.ours.median.toFixed(2)} s (${f.ours.min.toFixed(2)}–${f.ours.max.toFixed(2)}) | ${Math.round(f.oursRowsPerS).toLocaleString('en')} | `
      + `${f.ceiling.median.toFixed(2)} s (${f.ceiling.min.toFixed(2)}–${f.ceiling.max.toFixed(2)}) | ${Math.round(f.ceilingRowsPerS).toLocaleString('en')} | ×${f.ratio.toFixed(2)} | ${mb(f.peakMb)} |`);
  }
  out.push('');
  return out;
}

export function ingestSummary(all: IngestFigures[]): SummaryRow[] {
  return all.map((f) => ({
    scale: f.scale,
    measure: `ingest ${f.nights === 1 ? 'one night' : `a ${f.nights}-night backfill`} (${f.rows.toLocaleString('en')} rows), whole process`,
    value: `${f.ours.median.toFixed(2)} s, ${Math.round(f.oursRowsPerS).toLocaleString('en')} rows/s`,
    reference: `DuckDB COPY of the same CSV, no validation: ${f.ceiling.median.toFixed(2)} s`,
    ratio: f.ratio,
  }));
}

export async function ingestBench(): Promise<BenchOutput> {
  const figures: IngestFigures[] = [];
  for (const scale of ['s', 'm', 'l'] as const) for (const days of [1, 30]) figures.push(await bench(scale, days));
  return { lines: ingestLines(figures), figures, summary: ingestSummary(figures) };
}

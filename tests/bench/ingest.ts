/**
 * Ingest throughput, whole process, against DuckDB's own COPY of the same CSV files without validation (the ceiling).
 *  1. one night at scale l (the biggest demo hospital);
 *  2. a 30-night backfill at scale m.
 * Each `opsdeck ingest` runs as a fresh process (start-up, runtime, validation, Parquet, reports); the ceiling is a fresh
 * Node process that COPYs every landing CSV to zstd Parquet with DuckDB's CSV sniffer and nothing else.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDemoHospital } from '../../functions/local/demo/generate.ts';
import type { Scale } from '../../functions/local/demo/hospital.ts';
import { PROJECT_ROOT } from '../../functions/local/web-build.ts';

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

async function bench(label: string, scale: Scale, days: number): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), `opsdeck-bench-${scale}-`));
  try {
    const g0 = performance.now();
    const manifest = await generateDemoHospital({ outDir: dir, seed: 20240101, scale, endDate: END, days, regionDir: REGION_DIR });
    const genMs = performance.now() - g0;
    const rows = Object.values(manifest.rows).reduce((s, n) => s + n, 0);
    const bytes = csvFiles(dir).reduce((s, f) => s + statSync(f).size, 0);
    const ingest = run(process.execPath, ['--import', 'tsx', 'functions/local/cli.ts', 'ingest'], { OPSDECK_DATA: dir });
    const ceiling = copyCeiling(dir);
    const ceilingRows = Number(/ROWS=(\d+)/.exec(ceiling.output)?.[1]);
    if (ceilingRows !== rows) throw new Error(`ceiling copied ${ceilingRows} rows, generator wrote ${rows}`);
    const ours = rows / (ingest.ms / 1000);
    const top = rows / (ceiling.ms / 1000);
    const summary = /导入 ingest ✓ (.*)/.exec(ingest.output)?.[1] ?? '';
    return [
      `## ${label}`,
      `rows ${rows.toLocaleString('en')} in ${csvFiles(dir).length} files, ${(bytes / 1e6).toFixed(1)} MB of CSV (generated in ${(genMs / 1000).toFixed(1)} s)`,
      `opsdeck ingest (whole process)   ${(ingest.ms / 1000).toFixed(2)} s   ${Math.round(ours).toLocaleString('en')} rows/s   peak ${mb(ingest.maxRssMb)}`,
      `DuckDB COPY, no validation       ${(ceiling.ms / 1000).toFixed(2)} s   ${Math.round(top).toLocaleString('en')} rows/s   peak ${mb(ceiling.maxRssMb)}`,
      `validation costs ×${(ceiling.ms === 0 ? 0 : ingest.ms / ceiling.ms).toFixed(2)} the ceiling's time (ingest runs at ${((ours / top) * 100).toFixed(0)}% of COPY's rate)`,
      `  cli: ${summary}`,
      '',
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function ingestBench(): Promise<string[]> {
  return [...(await bench('one night at scale l', 'l', 1)), ...(await bench('30-night backfill at scale m', 'm', 30))];
}

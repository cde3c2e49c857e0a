/**
 * The benchmarks' demo hospitals, generated and ingested once per (scale, end date, seed) into bench/cache/ and reused
 * by later runs (a scale-l lake takes minutes to build; measuring it should not). Delete the folder to rebuild.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Scale } from '../../functions/local/demo/hospital.ts';
import { generateDemoHospital } from '../../functions/local/demo/generate.ts';
import { openLocalRuntime, type LocalRuntime } from '../../functions/local/runtime.ts';
import { PROJECT_ROOT } from '../../functions/local/web-build.ts';
import { ingestNights } from '../../functions/pipeline/ingest.ts';
import { landingNights } from '../../functions/pipeline/landing.ts';
import type { Clock } from '../../functions/ports.ts';

/** Two whole calendar years end here, so that "one year" is 2025 and its YoY is 2024. */
export const BENCH_END = '2025-12-31';
export const BENCH_SEED = 20240101;
const CLOCK: Clock = { now: () => new Date('2026-01-01T02:00:00Z'), today: () => '2026-01-01' };

export interface Dataset {
  dir: string;
  scale: Scale;
  rows: Record<string, number>;
  /** Seconds spent building it, when this run built it (undefined: reused from the cache). */
  built?: { generateS: number; ingestS: number };
}

export async function dataset(scale: Scale): Promise<Dataset> {
  const dir = join(PROJECT_ROOT, 'bench', 'cache', `${scale}-${BENCH_END}-${BENCH_SEED}`);
  const marker = join(dir, 'ready.json');
  if (existsSync(marker)) return { dir, scale, rows: (JSON.parse(readFileSync(marker, 'utf8')) as { rows: Record<string, number> }).rows };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  process.stderr.write(`bench: building the scale-${scale} hospital in ${dir} (once; later runs reuse it)…\n`);
  const t0 = performance.now();
  const manifest = await generateDemoHospital({ outDir: dir, seed: BENCH_SEED, scale, endDate: BENCH_END, regionDir: join(PROJECT_ROOT, 'data', 'regions', 'harbin-2024') });
  const t1 = performance.now();
  const rt = await openLocalRuntime(dir, { persist: false, clock: CLOCK });
  try {
    await ingestNights(rt.ingestDeps, await landingNights(rt.store), { concurrency: 2 });
  } finally {
    await rt.close();
  }
  const built = { generateS: (t1 - t0) / 1000, ingestS: (performance.now() - t1) / 1000 };
  writeFileSync(marker, JSON.stringify({ scale, end: BENCH_END, seed: BENCH_SEED, rows: manifest.rows, built }, null, 2));
  return { dir, scale, rows: manifest.rows, built };
}

/** The dataset's runtime (DuckDB over its lake, DynamoDB in memory), clock set just after its last night. */
export function openDataset(d: Dataset): Promise<LocalRuntime> {
  return openLocalRuntime(d.dir, { persist: false, clock: CLOCK });
}

// ── statistics for repeated measurements ──

export const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;

export interface Spread { n: number; median: number; p95: number; min: number; max: number }

export function spread(samples: readonly number[]): Spread {
  const s = [...samples].sort((a, b) => a - b);
  return { n: s.length, median: percentile(s, 50), p95: percentile(s, 95), min: s[0] ?? NaN, max: s.at(-1) ?? NaN };
}

export const ms = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

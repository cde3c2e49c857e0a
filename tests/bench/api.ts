/**
 * Screen API under load on loopback: 200 simulated wall displays polling snapshot reads (campus, DRG, budget, alerts)
 * against a server in its own process, once at a steady rate revalidating with If-None-Match (what walls do, at 15×
 * their real rate), once as fast as answers come revalidating (304s), once with full 200 bodies. Each load is run
 * BENCH_RUNS times (default 3), alternating with the reference: the same displays asking the health route (no token,
 * no snapshot) of the same server — what the machine, Node and HTTP cost before OpsDeck does anything.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { PROJECT_ROOT } from '../../functions/local/web-build.ts';
import { percentile, spread, type Spread } from './datasets.ts';
import type { BenchOutput, SummaryRow } from './summary.ts';

const DISPLAYS = 200;
const SECONDS = Number(process.env.BENCH_API_SECONDS ?? 10);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SCREENS = ['/api/screens/campus?scope=hospital', '/api/screens/drg?scope=hospital', '/api/screens/budget?scope=hospital', '/api/alerts?state=open&limit=60&view=wall'];
const HEALTH = ['/api/health'];

interface LoadResult { requests: number; perSecond: number; p50: number; p95: number; p99: number; statuses: Record<string, number>; mbPerSecond: number }

/** `everyMs`: each display asks again this long after its last ask began (0: as soon as the answer arrives, i.e. saturation). */
async function load(base: string, token: string, paths: string[], revalidate: boolean, everyMs: number): Promise<LoadResult> {
  const etags = new Map<string, string>();
  const times: number[] = [];
  const statuses: Record<string, number> = {};
  let bytes = 0;
  const end = performance.now() + SECONDS * 1000;
  await Promise.all(Array.from({ length: DISPLAYS }, async (_, d) => {
    for (let i = d; performance.now() < end; i++) {
      const path = paths[i % paths.length]!;
      const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
      const tag = etags.get(path);
      if (revalidate && tag) headers['If-None-Match'] = tag;
      const t = performance.now();
      const res = await fetch(base + path, { headers });
      const body = await res.arrayBuffer();
      times.push(performance.now() - t);
      bytes += body.byteLength;
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      const e = res.headers.get('ETag');
      if (e) etags.set(path, e);
      const rest = everyMs - (performance.now() - t);
      if (rest > 0) await new Promise((ok) => setTimeout(ok, rest));
    }
  }));
  times.sort((a, b) => a - b);
  return { requests: times.length, perSecond: times.length / SECONDS, p50: percentile(times, 50), p95: percentile(times, 95), p99: percentile(times, 99), statuses, mbPerSecond: bytes / 2 ** 20 / SECONDS };
}

async function startApiServer(): Promise<{ child: ChildProcess; url: string; token: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/bench/api-server.ts'], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } });
  const first = await new Promise<string>((ok, fail) => {
    createInterface({ input: child.stdout! }).once('line', ok);
    child.once('exit', (code) => fail(new Error(`the API benchmark's server exited (${code}) before it started`)));
  });
  return { child, ...(JSON.parse(first) as { url: string; token: string }) };
}

interface Mode { id: string; revalidate: boolean; everyMs: number }
const MODES: Mode[] = [
  { id: 'every 2 s, revalidating', revalidate: true, everyMs: 2000 },
  { id: 'saturated, revalidating', revalidate: true, everyMs: 0 },
  { id: 'saturated, full reads', revalidate: false, everyMs: 0 },
];

export interface ApiFigures { mode: Mode; screens: Record<'p50' | 'p95' | 'p99' | 'perSecond', Spread>; health: Record<'p50' | 'p95' | 'p99' | 'perSecond', Spread>; statuses: Record<string, number>; mbPerSecond: number }

const spreads = (rs: LoadResult[]) => ({ p50: spread(rs.map((r) => r.p50)), p95: spread(rs.map((r) => r.p95)), p99: spread(rs.map((r) => r.p99)), perSecond: spread(rs.map((r) => r.perSecond)) });

export async function apiBench(): Promise<BenchOutput> {
  const { child, url, token } = await startApiServer();
  const figures: ApiFigures[] = [];
  try {
    for (const m of MODES) {
      const screens: LoadResult[] = [];
      const health: LoadResult[] = [];
      for (let i = 0; i < RUNS; i++) {
        screens.push(await load(url, token, SCREENS, m.revalidate, m.everyMs));
        health.push(await load(url, token, HEALTH, m.revalidate, m.everyMs));
      }
      const statuses: Record<string, number> = {};
      for (const r of screens) for (const [k, v] of Object.entries(r.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
      figures.push({ mode: m, screens: spreads(screens), health: spreads(health), statuses, mbPerSecond: spread(screens.map((r) => r.mbPerSecond)).median });
    }
  } finally {
    child.kill('SIGTERM');
  }
  const f1 = (x: number) => x.toFixed(1);
  const lines = [`## Screen API: ${DISPLAYS} displays polling campus, DRG, budget and alerts on loopback, server in its own process; ${RUNS} runs of ${SECONDS} s each, medians (min–max of requests/s)`, '',
    '| load | requests/s | p50 | p95 | p99 | statuses (all runs) | MB/s | health route, same load: requests/s | p50 | p95 | p99 |', '|---|---|---|---|---|---|---|---|---|---|---|'];
  for (const f of figures) {
    const s = f.screens;
    const h = f.health;
    lines.push(`| ${f.mode.id} | ${Math.round(s.perSecond.median)} (${Math.round(s.perSecond.min)}–${Math.round(s.perSecond.max)}) | ${f1(s.p50.median)} ms | ${f1(s.p95.median)} ms | ${f1(s.p99.median)} ms | ${Object.entries(f.statuses).map(([k, v]) => `${k}×${v}`).join(', ')} | ${f1(f.mbPerSecond)} | `
      + `${Math.round(h.perSecond.median)} | ${f1(h.p50.median)} ms | ${f1(h.p95.median)} ms | ${f1(h.p99.median)} ms |`);
  }
  lines.push('');
  const summary: SummaryRow[] = figures.flatMap((f) => {
    const s = f.screens;
    const h = f.health;
    // At a steady rate every load gets the same requests/s: latency is the figure; saturated, throughput is.
    return f.mode.everyMs > 0
      ? [{ scale: 's', measure: `snapshot reads, ${DISPLAYS} displays polling ${f.mode.id}: latency p50 / p95 / p99 (ratio on p95)`, value: `${f1(s.p50.median)} / ${f1(s.p95.median)} / ${f1(s.p99.median)} ms`, reference: `the health route, same load: ${f1(h.p50.median)} / ${f1(h.p95.median)} / ${f1(h.p99.median)} ms`, ratio: s.p95.median / h.p95.median }]
      : [{ scale: 's', measure: `snapshot reads, ${DISPLAYS} displays ${f.mode.id}: requests/s (p99)`, value: `${Math.round(s.perSecond.median)}/s (p99 ${f1(s.p99.median)} ms)`, reference: `the health route: ${Math.round(h.perSecond.median)}/s (p99 ${f1(h.p99.median)} ms)`, ratio: s.perSecond.median / h.perSecond.median }];
  });
  return { lines, figures, summary };
}

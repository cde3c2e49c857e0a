/**
 * Screen API under load on loopback: 200 simulated wall displays polling snapshot reads as fast as answers come, for
 * a fixed time, once revalidating with If-None-Match (the steady state: 304) and once without (full 200 bodies).
 * Latency percentiles and requests/s; the server and the clients share this process and its 2 cores. The app is
 * configured as `npm start` configures it (snapshot reads kept 15 s).
 */
import { createApp } from '../../functions/api/app.ts';
import { startServer } from '../../functions/local/server.ts';
import { WEB_DIST } from '../../functions/local/web-build.ts';
import { demoRuntime } from '../support/demo-runtime.ts';
import { tokenFor } from '../support/access.ts';

let token = '';

const DISPLAYS = 200;
const SECONDS = 15;
const PATHS = ['/api/screens/campus?scope=hospital', '/api/screens/drg?scope=hospital', '/api/screens/budget?scope=hospital', '/api/alerts?state=open&limit=60'];

const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/** `everyMs`: each display asks again this long after its last ask began (0: as soon as the answer arrives, i.e. saturation). */
async function load(base: string, revalidate: boolean, everyMs = 0): Promise<string> {
  const etags = new Map<string, string>();
  const times: number[] = [];
  const status = new Map<number, number>();
  let bytes = 0;
  const end = performance.now() + SECONDS * 1000;
  await Promise.all(Array.from({ length: DISPLAYS }, async (_, d) => {
    for (let i = d; performance.now() < end; i++) {
      const path = PATHS[i % PATHS.length]!;
      const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
      const tag = etags.get(path);
      if (revalidate && tag) headers['If-None-Match'] = tag;
      const t = performance.now();
      const res = await fetch(base + path, { headers });
      const body = await res.arrayBuffer();
      times.push(performance.now() - t);
      bytes += body.byteLength;
      status.set(res.status, (status.get(res.status) ?? 0) + 1);
      const e = res.headers.get('ETag');
      if (e) etags.set(path, e);
      const rest = everyMs - (performance.now() - t);
      if (rest > 0) await new Promise((ok) => setTimeout(ok, rest));
    }
  }));
  times.sort((a, b) => a - b);
  return `${everyMs ? `each display every ${everyMs / 1000} s, ` : 'saturated, '}${revalidate ? 'revalidating (If-None-Match)' : 'full reads'}: ${times.length.toLocaleString('en')} requests in ${SECONDS} s = ${Math.round(times.length / SECONDS).toLocaleString('en')}/s; latency p50 ${pct(times, 50).toFixed(1)} ms, p95 ${pct(times, 95).toFixed(1)} ms, p99 ${pct(times, 99).toFixed(1)} ms; statuses ${[...status].map(([k, v]) => `${k}×${v}`).join(', ')}; ${(bytes / 2 ** 20 / SECONDS).toFixed(1)} MB/s`;
}

export async function apiBench(): Promise<string[]> {
  const ctx = await demoRuntime();
  // Every request carries a token the server verifies (signature, expiry, revocation list), as the walls' do.
  token = await tokenFor(ctx.rt, { roles: ['leadership'] });
  const server = await startServer(createApp({ snapshots: ctx.rt.snapshots, store: ctx.rt.store, alerts: ctx.rt.alerts, alertRules: ctx.rt.alertRules, snapshotCacheMs: 15_000, clock: ctx.rt.clock, version: 'bench', access: ctx.rt.access }), WEB_DIST, 0);
  try {
    return [`## Screen API: ${DISPLAYS} displays polling campus, DRG, budget and alerts on loopback (server and clients in one process)`,
      await load(server.url, true, 2000), await load(server.url, true), await load(server.url, false), ''];
  } finally {
    server.server.close();
    await ctx.dispose();
  }
}

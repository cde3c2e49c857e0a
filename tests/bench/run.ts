/**
 * `npm run bench [-- name…]`: long measurements that print figures (never run by `npm test`).
 * Benchmarks: ingest (one night at scale l, a 30-night backfill at scale m, against DuckDB COPY as the ceiling);
 * drg (DRG snapshots for one night and for a year at scale m, and one night's alert evaluation there);
 * alerts (one night's alert evaluation at scale l); finance (budget and cost snapshots, one night and a month, at m and l); soak (500 kiosk slide changes in Chromium with
 * memory read after GC, first paint and the wall route's JS size); api (200 displays polling the screen API); lake (bytes per night
 * at scale l and the bytes one night's aggregate would scan on Athena).
 */
import { cpus, totalmem } from 'node:os';
import { alertsBench } from './alerts.ts';
import { apiBench } from './api.ts';
import { drgBench } from './drg.ts';
import { financeBench } from './finance.ts';
import { ingestBench } from './ingest.ts';
import { lakeBench } from './lake.ts';
import { soakBench } from './soak.ts';

const BENCHES: Record<string, () => Promise<string[]>> = { ingest: ingestBench, drg: drgBench, alerts: alertsBench, finance: financeBench, soak: soakBench, api: apiBench, lake: lakeBench };

const wanted = process.argv.slice(2);
const names = wanted.length ? wanted : Object.keys(BENCHES);
for (const n of names) if (!BENCHES[n]) throw new Error(`unknown benchmark "${n}"; known: ${Object.keys(BENCHES).join(', ')}`);
process.stdout.write(`# OpsDeck benchmarks — node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(0)} GB\n\n`);
for (const n of names) {
  for (const line of await BENCHES[n]!()) process.stdout.write(`${line}\n`);
}

/**
 * Aggregate Lambda, run by EventBridge Scheduler at the hospital's hour in its time zone: recomputes snapshots that
 * late corrections made stale, then computes every screen's snapshots and the alerts for the newest ingested night,
 * all through Athena. It reports how many nights it is behind and how many P1 alerts opened as metrics, which the
 * stack's "missed night" and "P1" alarms watch.
 */
import type { AggregateDeps } from '../pipeline/aggregate.ts';
import { aggregateLatest } from '../pipeline/aggregate.ts';
import { compose } from '../compose/root.ts';
import { athenaEngine, awsAdapters, emitMetrics, s3Store } from './aws-runtime.ts';

async function open(): Promise<AggregateDeps> {
  const root = await compose(awsAdapters(s3Store()));
  // Re-read every run: the lake changed since yesterday, so Athena's result reuse would serve stale answers.
  return root.aggregate(athenaEngine({ timeoutMs: 300_000 }));
}

export async function handler(): Promise<{ asOf: string | null; lagDays: number | null; snapshots: number }> {
  // Configuration is read on every run, so a change the hospital drops in config/ applies from the next night.
  const run = await aggregateLatest(await open());
  const night = run.night;
  const snapshots = night ? night.campus.snapshots + night.drg.snapshots + night.finance.snapshots : 0;
  const p1 = night?.alerts?.opened.filter((a) => a.severity === 'P1').length ?? 0;
  emitMetrics(
    { NightsAggregated: run.asOf ? 1 : 0, NightLagDays: run.lagDays ?? 99, SnapshotsWritten: snapshots, AlertsOpened: night?.alerts?.opened.length ?? 0, P1AlertsOpened: p1, NightsRecomputed: run.recomputed.length },
    { asOf: run.asOf, recomputed: run.recomputed },
  );
  return { asOf: run.asOf, lagDays: run.lagDays, snapshots };
}

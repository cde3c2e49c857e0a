/**
 * DRG snapshots at scale m (two years, ~48k discharges a year): the nightly aggregate for one night, and a year of
 * nights recomputed at once (what a change of the region's rules costs). In process, after generate and ingest.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDays } from '../../functions/domain/calendar.ts';
import { generateDemoHospital } from '../../functions/local/demo/generate.ts';
import { openLocalRuntime } from '../../functions/local/runtime.ts';
import { PROJECT_ROOT } from '../../functions/local/web-build.ts';
import { aggregateDrgRange, aggregateDrgScreen } from '../../functions/pipeline/drg.ts';
import { ingestNights } from '../../functions/pipeline/ingest.ts';
import { landingNights } from '../../functions/pipeline/landing.ts';
import { evaluateAlerts, type AlertRunResult } from '../../functions/pipeline/alerts.ts';

const END = '2026-11-22';

export async function drgBench(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'opsdeck-bench-drg-'));
  try {
    const t0 = performance.now();
    await generateDemoHospital({ outDir: dir, seed: 20240101, scale: 'm', endDate: END, regionDir: join(PROJECT_ROOT, 'data', 'regions', 'harbin-2024') });
    const rt = await openLocalRuntime(dir, { persist: false });
    try {
      await ingestNights(rt.ingestDeps, await landingNights(rt.store), { concurrency: 3 });
      const setup = (performance.now() - t0) / 1000;
      const one = await aggregateDrgScreen(rt.aggregateDeps, END);
      const again = await aggregateDrgScreen(rt.aggregateDeps, END);
      const nights: string[] = [];
      for (let d = addDays(END, -364); d <= END; d = addDays(d, 1)) nights.push(d);
      const year = await aggregateDrgRange(rt.aggregateDeps, nights);
      const alertDeps = { engine: rt.engine, store: rt.store, clock: rt.clock, drgRules: rt.drgRules, alerts: rt.alerts, rules: rt.alertRules };
      const alerts = await evaluateAlerts(alertDeps, END);
      const alertsWarm = await evaluateAlerts(alertDeps, END);
      return [
        '## DRG snapshots at scale m',
        `setup (generate two years + ingest): ${setup.toFixed(0)} s`,
        `one night:  ${one.snapshots} snapshots from ${one.cases.toLocaleString('en')} cases in ${(one.elapsedMs / 1000).toFixed(2)} s (again, warm: ${(again.elapsedMs / 1000).toFixed(2)} s)`,
        `a year:     ${year.snapshots} snapshots for ${nights.length} nights from ${year.cases.toLocaleString('en')} cases in ${(year.elapsedMs / 1000).toFixed(1)} s (${(year.elapsedMs / nights.length).toFixed(0)} ms a night)`,
        '',
        '## Alert evaluation at scale m (one night, all enabled rules, reconciled with the alert store)',
        ...alertLines(alerts, alertsWarm),
        '',
      ];
    } finally {
      await rt.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function alertLines(first: AlertRunResult, warm: AlertRunResult): string[] {
  const rules = first.evaluation.results.map((r) => `${r.rule.id} ${r.result.findings.length}${r.result.skipped ? ' (skipped: ' + r.result.skipped.en + ')' : ''}`);
  return [
    `first run ${(first.elapsedMs / 1000).toFixed(2)} s (${first.evaluation.findings.length} findings, ${first.opened.length} opened); warm re-run ${(warm.elapsedMs / 1000).toFixed(2)} s (${warm.refreshed} refreshed)`,
    `findings by rule: ${rules.join('; ')}`,
  ];
}

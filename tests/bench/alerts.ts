/**
 * Alert evaluation at scale l (4,896 beds): 120 nights give every rule its history except the budget rules, which need a
 * whole year's plan (they report that they were skipped). In process, after generate and ingest.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDemoHospital } from '../../functions/local/demo/generate.ts';
import { openLocalRuntime } from '../../functions/local/runtime.ts';
import { PROJECT_ROOT } from '../../functions/local/web-build.ts';
import { evaluateAlerts } from '../../functions/pipeline/alerts.ts';
import { ingestNights } from '../../functions/pipeline/ingest.ts';
import { landingNights } from '../../functions/pipeline/landing.ts';
import { alertLines } from './drg.ts';

const END = '2026-11-22';

export async function alertsBench(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'opsdeck-bench-alerts-'));
  try {
    const t0 = performance.now();
    await generateDemoHospital({ outDir: dir, seed: 20240101, scale: 'l', endDate: END, days: 120, regionDir: join(PROJECT_ROOT, 'data', 'regions', 'harbin-2024') });
    const rt = await openLocalRuntime(dir, { persist: false });
    try {
      await ingestNights(rt.ingestDeps, await landingNights(rt.store), { concurrency: 3 });
      const setup = (performance.now() - t0) / 1000;
      const deps = { engine: rt.engine, store: rt.store, clock: rt.clock, drgRules: rt.drgRules, alerts: rt.alerts, rules: rt.alertRules };
      const first = await evaluateAlerts(deps, END);
      const warm = await evaluateAlerts(deps, END);
      return ['## Alert evaluation at scale l (120 nights)', `setup (generate + ingest): ${setup.toFixed(0)} s`, ...alertLines(first, warm), ''];
    } finally {
      await rt.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A small generated demo hospital, ingested and aggregated through the local runtime (integration and e2e tests). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDemoHospital } from '../../functions/local/demo/generate.ts';
import { type DemoManifest } from '../../functions/local/demo/demo-common.ts';
import { openLocalRuntime, type LocalRuntime } from '../../functions/local/runtime.ts';
import { aggregateNight } from '../../functions/pipeline/aggregate.ts';
import { ingestNights } from '../../functions/pipeline/ingest.ts';
import { landingNights } from '../../functions/pipeline/landing.ts';

export const DEMO_END = '2026-03-15';
export const REGION_DIR = join(import.meta.dirname, '..', '..', 'data', 'regions', 'harbin-2024');

/** 62 days with charge lines throughout: the use-growth rule compares the last 30 days with the 30 before. */
export async function demoRuntime(days = 62): Promise<{ rt: LocalRuntime; manifest: DemoManifest; dir: string; dispose: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'opsdeck-demo-'));
  const manifest = await generateDemoHospital({ outDir: dir, seed: 7, scale: 's', endDate: DEMO_END, days, chargeDays: days, regionDir: REGION_DIR });
  const rt = await openLocalRuntime(dir, { persist: false, clock: { now: () => new Date('2026-03-16T02:00:00Z'), today: () => '2026-03-16' } });
  await ingestNights(rt.ingestDeps, await landingNights(rt.store));
  await aggregateNight(rt.aggregateDeps, DEMO_END);
  return {
    rt, manifest, dir,
    dispose: async () => {
      await rt.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Copies the hand-made tiny hospital into a temp folder and ingests it through the real pipeline and adapters. */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestNights, type NightReport } from '../../functions/pipeline/ingest.ts';
import { landingNights } from '../../functions/pipeline/landing.ts';
import { openLocalRuntime, type LocalRuntime } from '../../functions/local/runtime.ts';
import type { Clock } from '../../functions/ports.ts';

export const FIXED_CLOCK: Clock = { now: () => new Date('2026-04-01T01:30:00Z'), today: () => '2026-04-01' };

export async function tinyHospital(): Promise<{ rt: LocalRuntime; reports: NightReport[]; dispose: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'opsdeck-tiny-'));
  cpSync(join(import.meta.dirname, '..', 'fixtures', 'tiny-hospital'), dir, { recursive: true });
  const rt = await openLocalRuntime(dir, { persist: false, clock: FIXED_CLOCK });
  const reports: NightReport[] = await ingestNights(rt.ingestDeps, await landingNights(rt.store));
  return {
    rt, reports,
    dispose: async () => {
      await rt.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

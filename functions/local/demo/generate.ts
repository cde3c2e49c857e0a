/**
 * Generates the demo hospital's nightly extracts into the landing layout (landing/<table>/dt=YYYY-MM-DD/<table>-<dt>.csv),
 * deterministically from a seed. Inpatient fees are the sum of the case's charge lines, so every figure can be traced down.
 */
import { buildHospital, type Hospital } from './hospital.ts';
import { type GenerateOptions, type DemoManifest, loadDrgGroups, loadBaseRates } from './demo-common.ts';
import { setUp, writeReferenceData, clinicalModel, bookkeeping } from './demo-run.ts';
import { simulateDays } from './demo-days.ts';
import { writeMonthlyFacts, writeBudgets, manifestOf } from './demo-months.ts';

export async function generateDemoHospital(opts: GenerateOptions): Promise<DemoManifest> {
  const hospital: Hospital = buildHospital(opts.seed, opts.scale);
  const drgs = await loadDrgGroups(opts.regionDir);
  const baseRates = await loadBaseRates(opts.regionDir);
  const r = setUp(opts, hospital, drgs, baseRates);
  const years = writeReferenceData(r);
  const m = clinicalModel(r);
  const b = bookkeeping(r);
  simulateDays(r, m, b);
  writeBudgets(r, writeMonthlyFacts(r, b), years);
  r.landing.flush();
  return manifestOf(r);
}

/**
 * DRG aggregate: lake → enriched cases → the DRG cost screen snapshots (one per scope). The cases themselves are read by
 * lake/drg-cases.ts (shared with the DRG explorer). Portable SQL through the QueryEngine port; every formula lives in functions/domain/drg.ts.
 */
import { buildDrgScreen, drgPeriods } from '../domain/drg-screen.ts';
import { enrichCases, type DrgRules, type EnrichedCase } from '../domain/drg.ts';
import type { Clock, ObjectStore, QueryEngine, SnapshotStore } from '../ports.ts';
import { loadDrgCases, loadDrgReference, loadNames } from '../lake/drg-cases.ts';
import { dtOf, lakePrefix } from '../lake/layout.ts';
import { pipelineStatus, ReportReader } from '../lake/reports.ts';
import { SNAPSHOT_SCHEMA, type DrgSnapshotData } from '../domain/screens.ts';

/** What the DRG aggregate needs (a part of the night's aggregate deps). */
export interface DrgAggregateDeps {
  engine: QueryEngine;
  store: ObjectStore;
  snapshots: SnapshotStore;
  clock: Clock;
  drgRules: DrgRules;
}

/** Computes and stores the DRG screen snapshots for `asOf` (hospital and each campus). */
export async function aggregateDrgScreen(deps: DrgAggregateDeps, asOf: string, reports?: ReportReader): Promise<DrgAggregateResult> {
  return aggregateDrgRange(deps, [asOf], reports);
}

export interface DrgAggregateResult {
  snapshots: number;
  cases: number;
  elapsedMs: number;
  /** The enriched cases of the newest date's reference version (the alert rules reuse them instead of reading again). */
  enriched: readonly EnrichedCase[];
}

/**
 * DRG snapshots for several as-of dates at once (a year's recomputation after the region's rules change): cases are
 * read once for the whole span and enriched once per reference-data version, then each night's screen is built in memory.
 */
export async function aggregateDrgRange(deps: DrgAggregateDeps, dates: readonly string[], reports = new ReportReader(deps.store)): Promise<DrgAggregateResult> {
  const started = performance.now();
  const sorted = [...dates].sort();
  if (sorted.length === 0) return { snapshots: 0, cases: 0, elapsedMs: 0, enriched: [] };
  const last = sorted.at(-1)!;
  const { cases: raw } = await loadDrgCases(deps.engine, drgPeriods(sorted[0]!).readFrom, last);
  const names = await loadNames(deps.engine, last);
  const set = deps.drgRules.outlierRuleSets[deps.drgRules.outlierRuleSet]!;
  const rule = { id: deps.drgRules.outlierRuleSet, zh: set.zh, en: set.en };
  // Reference data changes rarely: enrich again only when the partitions in force change (partitions listed once).
  const versions = new Map<string, EnrichedCase[]>();
  const partitions = await Promise.all(['drg_groups', 'drg_base_rates', 'drg_benchmarks'].map(async (t) =>
    (await deps.store.list(lakePrefix(t))).map((o) => dtOf(o.key) ?? '').filter(Boolean).sort()));
  const referenceVersion = (asOf: string): string => partitions.map((ds) => ds.filter((d) => d <= asOf).at(-1) ?? '').join('|');
  let snapshots = 0;
  let enriched: readonly EnrichedCase[] = [];
  for (const asOf of sorted) {
    const version = referenceVersion(asOf);
    let cases = versions.get(version);
    if (!cases) versions.set(version, (cases = enrichCases(raw, await loadDrgReference(deps.engine, asOf), deps.drgRules)));
    enriched = cases;
    const screen = buildDrgScreen(cases, asOf, names.campuses, names.departments, rule);
    const pipeline = await pipelineStatus(deps.store, asOf, reports);
    const generatedAt = deps.clock.now().toISOString();
    const scopeList = screen.scopes.map((x) => ({ id: x.id, zh: x.zh, en: x.en }));
    for (const scope of screen.scopes) {
      const data: DrgSnapshotData = { ...screen, scopes: [scope], scopeList, pipeline, schema: SNAPSHOT_SCHEMA };
      await deps.snapshots.put({ screen: 'drg', scope: scope.id, asOf, generatedAt, data });
      snapshots++;
    }
  }
  return { snapshots, cases: raw.length, elapsedMs: performance.now() - started, enriched };
}

/**
 * The composition root: the one place a deployment's configuration, region and dependencies are put together. The
 * Lambda handlers (AWS adapters), the local runtime and the CLI (embedded adapters) give it their adapters; it reads
 * the hospital's configuration once from the object store (shipped JSON replaced by `config/<name>`), picks the
 * region's DRG rules, and hands each part (ingest, aggregate, API) exactly the deps it takes.
 */
import type { AccessDeps } from '../api/access.ts';
import { SERVING_CACHE } from '../api/cache.ts';
import type { ApiDeps } from '../api/routes/context.ts';
import type { DrgRules } from '../domain/drg.ts';
import type { AggregateDeps } from '../pipeline/aggregate.ts';
import type { IngestDeps } from '../pipeline/ingest.ts';
import type { AlertStore, AuditLog, Authenticator, Clock, ObjectStore, ParquetWriter, QueryEngine, SnapshotStore } from '../ports.ts';
import { loadHospitalConfig, type HospitalConfig } from './config.ts';

/** What a runtime brings: its adapters for every port, and who signs people in. */
export interface Adapters {
  store: ObjectStore;
  snapshots: SnapshotStore;
  alerts: AlertStore;
  clock: Clock;
  /** Who signs people in and where their case-level looks are recorded: what the API needs (the nightly functions do not). */
  authenticator?: Authenticator;
  audit?: AuditLog;
  /** The hospital's time zone ("today", night dimming, quiet hours). */
  timeZone: string;
  /** Local runs only: the demo sign-in. */
  demo?: AccessDeps['demo'];
}

export interface Composition {
  config: HospitalConfig;
  /** The region's DRG rules in force. */
  drgRules: DrgRules;
  /** Who may ask what (needs the adapters' authenticator and audit log). */
  access(): AccessDeps;
  /** The API's deps over a query engine (the explorers' engine may differ from the nightly run's: result reuse, time limits). */
  api(engine: QueryEngine, version: string): ApiDeps;
  aggregate(engine: QueryEngine): AggregateDeps;
}

/** Ingest needs no hospital configuration (it validates against the data contract): the store, the clock, a writer. */
export function ingestDeps(a: Pick<Adapters, 'store' | 'clock'>, parts: { writer: ParquetWriter; engine: QueryEngine; scratchDir: string }): IngestDeps {
  return { store: a.store, clock: a.clock, ...parts };
}

export interface ComposeOptions {
  /** The hospital's configuration when already read (the local runtime reads it before starting anything). */
  config?: HospitalConfig;
  /**
   * A region's DRG rules to use unless the hospital has loaded its own (`config/drg-rules.json`): the local
   * OPSDECK_REGION_DIR. By default the hospital's own, else the shipped demo region's.
   */
  regionDrgRules?: () => DrgRules;
}

export async function compose(a: Adapters, options: ComposeOptions = {}): Promise<Composition> {
  const config = options.config ?? (await loadHospitalConfig(a.store));
  const drgRules = config.ownDrgRules || !options.regionDrgRules ? config.drgRules : options.regionDrgRules();
  const access = (): AccessDeps => {
    if (!a.authenticator || !a.audit) throw new Error('组合 API 需要身份验证与审计日志 / composing the API needs an authenticator and an audit log');
    return { authenticator: a.authenticator, roles: config.roles, audit: a.audit, ...(a.demo ? { demo: a.demo } : {}) };
  };
  return {
    config, drgRules, access,
    api: (engine, version) => ({
      snapshots: a.snapshots, store: a.store, engine, drgRules, alerts: a.alerts, alertRules: config.alertRules, displays: config.displays,
      targets: config.targets, timeZone: a.timeZone, clock: a.clock, version, access: access(),
      // An acknowledgement forgets this process's alert lists at once; another warm Lambda container's within alertCacheMs.
      ...SERVING_CACHE,
    }),
    aggregate: (engine) => ({ engine, snapshots: a.snapshots, store: a.store, clock: a.clock, drgRules, costModel: config.costModel, alerts: { store: a.alerts, rules: config.alertRules } }),
  };
}

/**
 * What every route module is given: the deployment's deps, the app's caches, and the snapshot reader that goes
 * through them. Routes answer or throw a UserError (app.ts turns it into the JSON error body with its status).
 */
import type { Hono } from 'hono';
import type { z } from 'zod';
import type { AlertRule } from '../../domain/alerts.ts';
import type { DisplayConfig } from '../../domain/displays.ts';
import type { DrgRules } from '../../domain/drg.ts';
import type { KpiTarget } from '../../domain/explore.ts';
import { badRequest } from '../../domain/user-error.ts';
import type { AlertStore, Clock, ObjectStore, QueryEngine, SnapshotStore } from '../../ports.ts';
import type { AccessDeps, AccessVars } from '../access.ts';
import type { ApiCaches, CacheSettings } from '../cache.ts';

export interface ApiDeps extends CacheSettings {
  snapshots: SnapshotStore;
  /** The lake engine and the region's DRG rules, for the analyst explorers (bounded, cached queries). */
  engine?: QueryEngine;
  drgRules?: DrgRules;
  /** Alert state and the rule catalogue in force. */
  alerts?: AlertStore;
  alertRules?: readonly AlertRule[];
  /** Wall displays (playlists) and the hospital's time zone. */
  displays?: readonly DisplayConfig[];
  timeZone?: string;
  /** Ingest reports and quarantine, for the data-quality endpoints and the explorers' newest night. */
  store?: ObjectStore;
  clock: Clock;
  version: string;
  /** Who may ask what (every route but health and the sign-in needs a principal). */
  access: AccessDeps;
  /** The hospital's KPI targets, for the explorer's "against target". */
  targets?: readonly KpiTarget[];
  /** The app's caches; by default a new set from the cache settings, driven by `clock`. */
  caches?: ApiCaches;
}

export type ApiApp = Hono<{ Variables: AccessVars }>;

export interface RouteContext {
  deps: ApiDeps;
  caches: ApiCaches;
  /** Snapshot reads through the snapshot cache. */
  snapshots: Pick<SnapshotStore, 'latest' | 'listAsOf'>;
  now: () => string;
}

/** A query or body checked against its schema, or a 400 naming what is wrong (in both languages). */
export function checked<T>(schema: z.ZodType<T>, input: unknown, zh: string, en: string, code = 'bad_query'): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw badRequest(zh, en, code);
  return parsed.data;
}

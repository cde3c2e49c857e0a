/**
 * The embedded runtime: local-folder object store, DuckDB over the local lake, DynamoDB API on an in-process dynalite
 * persisted under the data folder. Everything a laptop needs, wired to the same ports as on AWS.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join, resolve } from 'node:path';
import dynalite from 'dynalite';
import { DuckDbEngine } from '../adapters/duckdb.ts';
import { documentClient, DynamoAlertStore, DynamoAuditLog, DynamoSnapshotStore, ensureAlertTable, ensureAuditTable, ensureSnapshotTable } from '../adapters/dynamodb.ts';
import { LocalTokenAuthority, loadOrCreateKey } from '../adapters/local-tokens.ts';
import type { AccessDeps, DemoUser } from '../api/access.ts';
import type { Principal, RoleSpec } from '../domain/roles.ts';
import { zodProblems } from '../domain/config-errors.ts';
import { z } from 'zod';
import type { AlertRule } from '../domain/alerts.ts';
import { LocalFolderStore } from '../adapters/local-folder.ts';
import { SystemClock } from '../adapters/system-clock.ts';
import type { Clock, ObjectStore } from '../ports.ts';
import { parseDrgRules, type DrgRules } from '../domain/drg.ts';
import type { CostModel } from '../domain/cost-model.ts';
import type { KpiTarget } from '../domain/explore.ts';
import type { DisplayConfig } from '../domain/displays.ts';
import { loadHospitalConfig, ownConfig } from '../compose/config.ts';
import { compose, ingestDeps } from '../compose/root.ts';
import type { ApiDeps } from '../api/routes/context.ts';
import shippedDemoUsers from '../../data/demo-users.json' with { type: 'json' };
import type { AggregateDeps } from '../pipeline/aggregate.ts';
import type { IngestDeps } from '../pipeline/ingest.ts';
import { claimStore } from './store-owner.ts';

export const SNAPSHOT_TABLE = 'opsdeck-snapshots';
export const ALERT_TABLE = 'opsdeck-alerts';
export const AUDIT_TABLE = 'opsdeck-audit';
/** DuckDB's memory limit on a laptop or the hospital's one server (OPSDECK_DUCKDB_MEMORY overrides). */
export const DUCKDB_MEMORY = '1GB';
/** A demo sign-in lasts a working day. */
export const DEMO_TOKEN_SECONDS = 12 * 3600;

export interface LocalRuntime {
  dataDir: string;
  drgRules: DrgRules;
  alertRules: AlertRule[];
  costModel: CostModel;
  targets: KpiTarget[];
  displays: DisplayConfig[];
  /** The hospital's time zone (HOSPITAL_TIME_ZONE, default Asia/Shanghai): "today", night dimming, quiet hours. */
  timeZone: string;
  alerts: DynamoAlertStore;
  /** Roles (data/roles.json or the hospital's), the token authority (key in <data>/secrets), the audit log. */
  roles: RoleSpec[];
  tokens: LocalTokenAuthority;
  audit: DynamoAuditLog;
  demoUsers: DemoUser[];
  /** What the API needs to decide who may ask what. */
  access: AccessDeps;
  store: LocalFolderStore;
  engine: DuckDbEngine;
  snapshots: DynamoSnapshotStore;
  clock: Clock;
  scratchDir: string;
  /** The runtime's adapters, as the pipeline steps and the API take them (from the composition root). */
  ingestDeps: IngestDeps;
  aggregateDeps: AggregateDeps;
  api(version: string): ApiDeps;
  close(): Promise<void>;
}

/** The region configuration (DRG/DIP rule sets) in force: $OPSDECK_REGION_DIR or the demo's Harbin 2024 region. */
export const REGION_DIR = resolve(process.env.OPSDECK_REGION_DIR ?? join(import.meta.dirname, '..', '..', 'data', 'regions', 'harbin-2024'));

export function loadDrgRules(regionDir = REGION_DIR): DrgRules {
  const path = join(regionDir, 'drg-rules.json');
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`无法读取 DRG 规则配置 ${path} / cannot read the DRG rules ${path}: ${(e as Error).message}`);
  }
  return parseDrgRules(json, path);
}

const demoUsersFile = z.strictObject({
  version: z.literal(1),
  users: z.array(z.strictObject({ id: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/), name: z.string().min(1), roles: z.array(z.string()).min(1), departments: z.array(z.string()), zh: z.string(), en: z.string() })),
});

/** The demo users the local sign-in page offers (`<data folder>/config/demo-users.json` with an empty list turns it off). */
export async function loadDemoUsers(store: ObjectStore): Promise<DemoUser[]> {
  const own = await ownConfig(store, 'demo-users.json');
  const { json, path } = own ? { json: own.json, path: own.source } : { json: shippedDemoUsers, path: 'data/demo-users.json' };
  const r = demoUsersFile.safeParse(json);
  if (!r.success) throw new Error(`演示用户 ${path} 有误 / the demo users file ${path} is invalid: ${zodProblems(r.error)}`);
  return r.data.users;
}

export function defaultDataDir(): string {
  return resolve(process.env.OPSDECK_DATA ?? '.opsdeck');
}

async function startDynalite(path: string | undefined): Promise<{ endpoint: string; server: Server }> {
  const server = dynalite(path ? { path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 } : { createTableMs: 0 }) as unknown as Server;
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('dynalite did not start');
  return { endpoint: `http://127.0.0.1:${address.port}`, server };
}

/** The DynamoDB API for this process: its own dynalite (in memory, or persisted and owned), or the owner's endpoint. */
async function openDynamo(dataDir: string, persist: boolean, serving: boolean, say?: (line: string) => void): Promise<{ endpoint: string; close: () => Promise<void> }> {
  const stop = (server: Server) => new Promise<void>((ok) => server.close(() => ok()));
  if (!persist) {
    const own = await startDynalite(undefined);
    return { endpoint: own.endpoint, close: () => stop(own.server) };
  }
  const access = await claimStore(dataDir, serving, say);
  if (access.role === 'guest') return { endpoint: access.endpoint, close: async () => {} };
  let own: { endpoint: string; server: Server };
  try {
    own = await startDynalite(join(dataDir, 'dynamodb'));
  } catch (e) {
    access.release();
    throw new Error(`无法打开本地 DynamoDB（${join(dataDir, 'dynamodb')}） / cannot open the local DynamoDB store ${join(dataDir, 'dynamodb')}: ${(e as Error).message}`);
  }
  access.publish(own.endpoint);
  return {
    endpoint: own.endpoint,
    close: async () => {
      await stop(own.server);
      access.release();
    },
  };
}

/**
 * Opens the local runtime over `dataDir`. `persist: false` keeps DynamoDB in memory (tests). With persistence the
 * DynamoDB store is owned by one process (see store-owner.ts): this one, or the process already serving, whose
 * endpoint this one then uses. `serving` marks a process that serves the dashboard; `say` reports a wait.
 */
export async function openLocalRuntime(dataDir: string, options: { persist?: boolean; clock?: Clock; serving?: boolean; say?: (line: string) => void } = {}): Promise<LocalRuntime> {
  mkdirSync(dataDir, { recursive: true });
  const scratchDir = join(dataDir, 'scratch');
  mkdirSync(scratchDir, { recursive: true });
  const persist = options.persist ?? true;
  // The configuration first: a mistake in the hospital's files stops here, before anything is started.
  const store = new LocalFolderStore(dataDir);
  // The shipped configuration with the hospital's own files from <data folder>/config/ (the same rule as on AWS).
  const config = await loadHospitalConfig(store);
  const { alertRules, costModel, displays, roles, targets } = config;
  const demoUsers = await loadDemoUsers(store);
  const dyn = await openDynamo(dataDir, persist, options.serving ?? false, options.say);
  const client = documentClient({ endpoint: dyn.endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await ensureSnapshotTable(client, SNAPSHOT_TABLE);
  await ensureAlertTable(client, ALERT_TABLE);
  await ensureAuditTable(client, AUDIT_TABLE);
  // A bounded engine: analysts' heavy queries spill to disk instead of growing the server (OPSDECK_DUCKDB_MEMORY).
  const engine = await DuckDbEngine.open({ lakeRoot: join(dataDir, 'lake'), tempDir: join(scratchDir, 'duckdb'), memoryLimit: process.env.OPSDECK_DUCKDB_MEMORY ?? DUCKDB_MEMORY });
  const snapshots = new DynamoSnapshotStore(client, SNAPSHOT_TABLE);
  const timeZone = process.env.HOSPITAL_TIME_ZONE ?? 'Asia/Shanghai';
  const clock = options.clock ?? new SystemClock(timeZone);
  const alerts = new DynamoAlertStore(client, ALERT_TABLE);
  const tokens = new LocalTokenAuthority(loadOrCreateKey(join(dataDir, 'secrets', 'token-key')), store, () => clock.now());
  const audit = new DynamoAuditLog(client, AUDIT_TABLE);
  const demo = demoUsers.length ? { users: demoUsers, issue: (p: Principal) => tokens.issue(p, DEMO_TOKEN_SECONDS) } : undefined;
  // The region loaded into this data folder (config/drg-rules.json), else OPSDECK_REGION_DIR's, else the demo region's.
  const root = await compose({ store, snapshots, alerts, audit, clock, authenticator: tokens, timeZone, ...(demo ? { demo } : {}) }, {
    config, ...(process.env.OPSDECK_REGION_DIR ? { regionDrgRules: () => loadDrgRules() } : {}),
  });
  const { drgRules } = root;
  return {
    dataDir, scratchDir, engine, store, snapshots, clock, drgRules, alertRules, costModel, displays, targets, timeZone, alerts, roles, tokens, audit, demoUsers, access: root.access(),
    ingestDeps: ingestDeps({ store, clock }, { writer: engine, engine, scratchDir }),
    aggregateDeps: root.aggregate(engine),
    api: (version) => root.api(engine, version),
    async close() {
      await engine.close();
      client.destroy();
      await dyn.close();
    },
  };
}

/** Checks that a TCP port is free before the slow start-up steps run. */
export async function assertPortFree(port: number): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((ok, fail) => {
    const probe = createServer();
    probe.once('error', () => fail(new Error(`端口 ${port} 已被占用，请用 PORT=… 或 --port 换一个 / port ${port} is in use: choose another with PORT=… or --port`)));
    probe.listen(port, '127.0.0.1', () => probe.close(() => ok()));
  });
}

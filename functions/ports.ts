/**
 * The interfaces between OpsDeck's logic (pipeline, api) and the technologies it runs on.
 * Each has one adapter per runtime: AWS (Athena, S3, DynamoDB) and the laptop (DuckDB, a folder, dynalite).
 */
import { UserError } from './domain/user-error.ts';
import type { ScreenId, SnapshotShapes } from './domain/screens.ts';
import type { ColumnType } from './domain/contract.ts';

/** A scalar a query returns or takes as a parameter; engine-specific types are converted in the adapter. */
export type SqlValue = string | number | boolean | null;
export type SqlRow = Record<string, SqlValue>;

export interface QueryOptions {
  /** Bound to the `?` placeholders in order. Values only ever travel as parameters. */
  params?: readonly SqlValue[];
  /** Upper bound on rows returned; the adapter reports truncation. */
  maxRows?: number;
  timeoutMs?: number;
}

/** A query stopped at its time limit (every engine adapter throws this, so callers can say so clearly): a 503. */
export class QueryLimitError extends UserError {
  constructor(zh: string, en: string) {
    super(503, 'query_limit', `查询超时已取消：请缩短期间或增加筛选条件（${zh}）`, `The query ran too long and was cancelled: shorten the period or add a filter (${en})`);
  }
}

/**
 * The writer refused the rows themselves (a value its column type cannot hold), as opposed to failing on the machine
 * (full disk, I/O): the night records it and its table keeps the old partition, instead of blocking every later night.
 */
export class LakeWriteRefused extends Error {
  constructor(message: string, readonly cleanLine?: number) {
    super(message);
  }
}

export interface QueryResult {
  rows: SqlRow[];
  truncated: boolean;
  elapsedMs: number;
}

/** Runs portable SQL (see functions/sql/README.md) over the lake. `{{table}}` identifiers are resolved by the adapter from the contract's allow-list. */
export interface QueryEngine {
  query(sql: string, options?: QueryOptions): Promise<QueryResult>;
  close(): Promise<void>;
}

/** Column layout for writing a Parquet partition, derived from the data contract. */
export interface ParquetColumn {
  name: string;
  type: ColumnType;
}

/** Turns a validated, canonical UTF-8 CSV file into one Parquet file (zstd, timestamps in ms). */
export interface ParquetWriter {
  writeParquet(input: { csvPath: string; columns: readonly ParquetColumn[]; parquetPath: string }): Promise<{ rows: number }>;
}

export interface ObjectInfo {
  key: string;
  size: number;
  modifiedAt: string;
  /** Set for an entry that is not a regular file (a local folder can hold links, pipes, sockets and devices): never read. */
  special?: 'symlink' | 'fifo' | 'socket' | 'device';
}

/** Why a special entry is not read, for the night's report. */
export const SPECIAL_ENTRY: Record<NonNullable<ObjectInfo['special']>, { zh: string; en: string }> = {
  symlink: { zh: '是符号链接：不跟随链接读取落地目录之外的文件', en: 'is a symbolic link: links are never followed (they could reach outside the landing folder)' },
  fifo: { zh: '是命名管道（FIFO），不是普通文件', en: 'is a named pipe (FIFO), not a regular file' },
  socket: { zh: '是套接字，不是普通文件', en: 'is a socket, not a regular file' },
  device: { zh: '是设备文件，不是普通文件', en: 'is a device file, not a regular file' },
};

/** A key the store will not read: a link, pipe or other special file, or a path that leaves the store's root. */
export class UnreadableObjectError extends Error {
  constructor(readonly key: string, readonly why: { zh: string; en: string }) {
    super(`${key}：${why.zh} / ${key}: ${why.en}`);
  }
}

/** Landing, lake, quarantine and reports live under keys like `lake/<table>/dt=YYYY-MM-DD/part-0.parquet`. */
export interface ObjectStore {
  get(key: string): Promise<Uint8Array | undefined>;
  /** Writes atomically: readers see the old object or the new one, never a partial one. */
  put(key: string, body: Uint8Array | string): Promise<void>;
  /** Moves a local file into the store (used for Parquet written by the engine). */
  putFile(key: string, localPath: string): Promise<void>;
  list(prefix: string): Promise<ObjectInfo[]>;
  delete(key: string): Promise<void>;
  /** A path or URL that the query engine can read for this key prefix. */
  locate(prefix: string): string;
}

/**
 * One screen's precomputed JSON for a scope and night, typed by its screen id (domain/screens.ts). What is read back may
 * have been written by an older OpsDeck: readers check `isCurrentSnapshot` before trusting the shape.
 */
export interface Snapshot<S extends ScreenId = ScreenId> {
  screen: S;
  scope: string;
  asOf: string;
  generatedAt: string;
  data: SnapshotShapes[S];
}

/** A snapshot of any screen, its data matching its screen id. */
export type AnySnapshot = { [S in ScreenId]: Snapshot<S> }[ScreenId];

/** Precomputed screen JSON keyed by (screen, scope, asOf). */
export interface SnapshotStore {
  put(snapshot: AnySnapshot): Promise<void>;
  get<S extends ScreenId>(screen: S, scope: string, asOf: string): Promise<Snapshot<S> | undefined>;
  /** The newest snapshot at or before `atOrBefore` (default: newest of all). */
  latest<S extends ScreenId>(screen: S, scope: string, atOrBefore?: string): Promise<Snapshot<S> | undefined>;
  /** As-of dates that have a snapshot, newest first. */
  listAsOf(screen: ScreenId, scope: string, limit: number): Promise<string[]>;
}

export type AlertState = 'open' | 'acknowledged' | 'resolved';

/** An alert as stored: one per (rule, entity, period), with its evidence and lifecycle. */
export interface AlertRecord {
  /** `rule|entity|period`. */
  id: string;
  ruleId: string;
  owner: string;
  entity: string;
  entityZh: string;
  entityEn: string;
  departmentId: string | null;
  period: string;
  severity: 'P1' | 'P2' | 'P3';
  state: AlertState;
  /** Bumped on every write; a write names the version it read, so two people acting at once cannot overwrite each other. */
  version: number;
  zh: string;
  en: string;
  evidence: Record<string, number | string>;
  link: string | null;
  /** The finding without patient or case identifiers, for walls and notifications (see AlertFinding.wall). */
  wall?: { zh: string; en: string };
  /** Nights (as-of dates) the condition was first and last found. */
  firstSeen: string;
  lastSeen: string;
  updatedAt: string;
  history: { at: string; state: AlertState; by: string; note?: string }[];
}

export interface AlertFilter {
  state?: AlertState;
  severity?: string;
  owner?: string;
  departmentId?: string;
  ruleId?: string;
}

/** Someone else changed the alert since it was read: a 409 (reload and try again). */
export class AlertConflictError extends UserError {
  constructor(zh: string, en: string) {
    super(409, 'conflict', zh, en);
  }
}

/** Alert state with lifecycle (DynamoDB on AWS, dynalite locally). */
export interface AlertStore {
  get(id: string): Promise<AlertRecord | undefined>;
  /** Writes `alert` only if the stored version is `expectedVersion` (null: only if there is none); else AlertConflictError. */
  put(alert: AlertRecord, expectedVersion: number | null): Promise<void>;
  list(filter?: AlertFilter): Promise<AlertRecord[]>;
}

export interface AuditEntry {
  /** ISO instant of the request. */
  at: string;
  /** The principal's id and name. */
  who: string;
  name: string;
  /** Its roles, comma-separated. */
  role: string;
  /** What was asked for, e.g. `explore.drg.case`, `export.drg.csv`, `quality.rejects`. */
  action: string;
  /** The departments the request was limited to, or `hospital`. */
  scope: string;
  /** The request's query, as sent (no body). */
  query: string;
  /** Rows returned. */
  rows: number;
}

/** Who looked at case-level data or exported: one record per such request, kept six years. */
export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
  /** Records whose `at` falls on the days [from, to] (YYYY-MM-DD, UTC), oldest first. */
  list(from: string, to: string): Promise<AuditEntry[]>;
}

/** Why a request has no principal: the 401 body says which. */
export type AuthFailure = 'missing' | 'invalid' | 'expired' | 'revoked';

export class AuthError extends Error {
  constructor(readonly reason: AuthFailure, message: string) {
    super(message);
  }
}

/** Turns a request's credentials into the principal they name (throws AuthError). */
export interface Authenticator {
  authenticate(request: { authorization?: string; claims?: Record<string, unknown> }): Promise<import('./domain/roles.ts').Principal>;
}

/** Hospital-local wall-clock time; injected so that tests and re-runs are deterministic. */
export interface Clock {
  now(): Date;
  /** Today's date (YYYY-MM-DD) in the hospital's time zone. */
  today(): string;
}

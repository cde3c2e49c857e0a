/**
 * The peer for the drill-down benchmark: PostgreSQL (Debian's package), started by the benchmark on loopback in a
 * temporary cluster, the lake's tables loaded with COPY and indexed as a hospital BI team would (the partition date,
 * and department with date), then ANALYZEd. A QueryEngine over it runs the explorer's own portable SQL files, so both
 * stores answer exactly the same queries.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { tableSpec, type ColumnType } from '../../functions/domain/contract.ts';
import { QueryLimitError, type QueryEngine, type QueryOptions, type QueryResult, type SqlRow } from '../../functions/ports.ts';

// Values as the DuckDB adapter gives them: dates as YYYY-MM-DD, numeric and bigint as numbers.
pg.types.setTypeParser(1082, (v: string) => v);
pg.types.setTypeParser(1700, (v: string) => Number(v));
pg.types.setTypeParser(20, (v: string) => Number(v));

const PG_TYPES: Record<ColumnType, string> = {
  string: 'text', integer: 'integer', money: 'numeric(18,2)', decimal: 'numeric(18,4)', date: 'date', month: 'text', timestamp: 'timestamp', boolean: 'boolean',
};

function binDir(): string {
  const root = '/usr/lib/postgresql';
  const version = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a))[0] : undefined;
  if (!version) throw new Error('PostgreSQL is not installed: apt-get install postgresql (the drill-down benchmark starts its own cluster)');
  return join(root, version, 'bin');
}

export interface Postgres {
  port: number;
  version: string;
  client: pg.Client;
  stop: () => Promise<void>;
}

/** initdb + pg_ctl start in a temp folder (as the postgres user when this process is root: PostgreSQL refuses root). */
export async function startPostgres(): Promise<Postgres> {
  const bin = binDir();
  const dir = mkdtempSync(join(tmpdir(), 'opsdeck-pg-'));
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  const asRoot = userInfo().uid === 0;
  const run = (cmd: string, args: string[]) => {
    const r = spawnSync(asRoot ? 'runuser' : join(bin, cmd), asRoot ? ['-u', 'postgres', '--', join(bin, cmd), ...args] : args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stdout}${r.stderr}`);
  };
  const port = 54_000 + Math.floor(Math.random() * 900);
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'bench', '-E', 'UTF8', '--locale=C']);
  // What a BI team would set on a 2-core, 24 GB machine: more shared buffers and sort memory than the defaults.
  run('pg_ctl', ['-D', data, '-w', '-l', join(dir, 'log'), '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c shared_buffers=1GB -c work_mem=64MB -c effective_cache_size=8GB -c max_parallel_workers_per_gather=2`, 'start']);
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'bench', database: 'postgres' });
  await client.connect();
  const version = (await client.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version;
  return {
    port, version, client,
    stop: async () => {
      await client.end().catch(() => {});
      try { run('pg_ctl', ['-D', data, '-w', '-m', 'fast', 'stop']); } finally { rmSync(dir, { recursive: true, force: true }); }
    },
  };
}

/** Charge lines are looked up by ordering department, item and patient (the charge-lines page's filters). */
const EXTRA_INDEXES: Record<string, string[][]> = { charge_lines: [['ordering_department_id', 'dt'], ['item_code', 'dt'], ['patient_id', 'dt']] };

/**
 * Copies lake tables into PostgreSQL: DuckDB writes each table (with its `dt` partition column) to CSV, PostgreSQL
 * COPYs it in; facts get indexes on (dt) and (department_id, dt), charge lines on their filters too. Returns seconds and rows per table.
 */
export async function loadTables(pgdb: Postgres, duck: QueryEngine, tables: readonly string[]): Promise<{ seconds: number; rows: Record<string, number> }> {
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'opsdeck-pgload-'));
  chmodSync(dir, 0o777);
  const rows: Record<string, number> = {};
  try {
    for (const table of tables) {
      const spec = tableSpec(table);
      const cols = spec.columns.map((c) => c.name);
      const file = join(dir, `${table}.csv`);
      await duck.query(`COPY (SELECT ${cols.join(', ')}, dt FROM {{${table}}}) TO '${file}' (HEADER, DELIMITER ',')`);
      chmodSync(file, 0o644);
      await pgdb.client.query(`CREATE TABLE "${table}" (${spec.columns.map((c) => `"${c.name}" ${PG_TYPES[c.type]}`).join(', ')}, dt text NOT NULL)`);
      await pgdb.client.query(`COPY "${table}" FROM '${file}' WITH (FORMAT csv, HEADER true)`);
      await pgdb.client.query(`CREATE INDEX ON "${table}" (dt)`);
      if (cols.includes('department_id') && spec.kind !== 'reference') await pgdb.client.query(`CREATE INDEX ON "${table}" (department_id, dt)`);
      for (const key of EXTRA_INDEXES[table] ?? []) await pgdb.client.query(`CREATE INDEX ON "${table}" (${key.join(', ')})`);
      await pgdb.client.query(`ANALYZE "${table}"`);
      rows[table] = Number((await pgdb.client.query<{ n: string }>(`SELECT COUNT(*) AS n FROM "${table}"`)).rows[0]!.n);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { seconds: (performance.now() - started) / 1000, rows };
}

/** The portable SQL on PostgreSQL: `{{table}}` → the loaded table, `?` → `$n`, DOUBLE → DOUBLE PRECISION. */
export class PostgresEngine implements QueryEngine {
  constructor(private readonly client: pg.Client) {}

  async query(sql: string, options: QueryOptions = {}): Promise<QueryResult> {
    const started = performance.now();
    let n = 0;
    const text = sql.replace(/--.*$/gm, '').replace(/\{\{\s*([a-z_]+)\s*\}\}/g, '"$1"').replace(/\bAS DOUBLE\)/g, 'AS DOUBLE PRECISION)').replace(/\?/g, () => `$${++n}`);
    if (options.timeoutMs) await this.client.query(`SET statement_timeout = ${Math.trunc(options.timeoutMs)}`);
    try {
      const res = await this.client.query({ text, values: [...(options.params ?? [])] });
      const all = res.rows as SqlRow[];
      const truncated = options.maxRows !== undefined && all.length > options.maxRows;
      return { rows: truncated ? all.slice(0, options.maxRows) : all, truncated, elapsedMs: performance.now() - started };
    } catch (e) {
      if ((e as { code?: string }).code === '57014') throw new QueryLimitError(`PostgreSQL 查询超时：${(e as Error).message}`, `PostgreSQL statement timeout: ${(e as Error).message}`);
      throw new Error(`PostgreSQL: ${(e as Error).message}\n${text}`);
    }
  }

  async close(): Promise<void> {}
}

/** Debian's PostgreSQL is present (the benchmark says how to get it when it is not). */
export const havePostgres = (): boolean => {
  try {
    binDir();
    execFileSync('id', ['postgres'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

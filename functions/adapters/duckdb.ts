/**
 * DuckDB adapter: the embedded QueryEngine over the local Parquet lake, and the ParquetWriter used by ingest
 * (locally and in the ingest Lambda). Engine quirks (bigint, DECIMAL, DATE values) are converted here only.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBConnection, DuckDBInstance, DuckDBDecimalValue, type DuckDBValue } from '@duckdb/node-api';
import { COLUMN_STORAGE, isContractTable, tableSpec, type ColumnType } from '../domain/contract.ts';
import { LakeWriteRefused, QueryLimitError, type ParquetColumn, type ParquetWriter, type QueryEngine, type QueryOptions, type QueryResult, type SqlRow, type SqlValue } from '../ports.ts';

const SQL_TYPES = Object.fromEntries(Object.entries(COLUMN_STORAGE).map(([t, s]) => [t, s.sql])) as Record<ColumnType, string>;

export { QueryLimitError };

function toSqlValue(v: DuckDBValue): SqlValue {
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof DuckDBDecimalValue) return v.toDouble();
  return String(v);
}

const sqlString = (s: string): string => `'${s.replaceAll("'", "''")}'`;

export interface DuckDbEngineOptions {
  /** Folder holding lake/<table>/dt=…/*.parquet; omit for a writer-only instance (Lambda ingest). */
  lakeRoot?: string;
  /** DuckDB's home and spill directory (Lambda: /tmp). */
  tempDir?: string;
  threads?: number;
  /** DuckDB's memory_limit (e.g. '2GB'); beyond it operators spill to `tempDir`. DuckDB's own default is 80% of RAM, which a buffer pool then keeps. */
  memoryLimit?: string;
}

export class DuckDbEngine implements QueryEngine, ParquetWriter {
  /** The query connection runs one statement at a time; callers that overlap (concurrent nights) queue here. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(private readonly instance: DuckDBInstance, private readonly conn: DuckDBConnection, private readonly lakeRoot?: string) {}

  static async open(options: DuckDbEngineOptions = {}): Promise<DuckDbEngine> {
    const config: Record<string, string> = {};
    if (options.tempDir) config.temp_directory = options.tempDir;
    if (options.threads) config.threads = String(options.threads);
    if (options.memoryLimit) config.memory_limit = options.memoryLimit;
    const instance = await DuckDBInstance.create(':memory:', config);
    const conn = await instance.connect();
    if (options.tempDir) await conn.run(`SET home_directory = ${sqlString(options.tempDir)}`);
    // DuckDB 1.5.5 fails an internal assertion answering MIN/MAX of a hive partition column from Parquet statistics.
    await conn.run(`SET disabled_optimizers = 'statistics_propagation'`);
    return new DuckDbEngine(instance, conn, options.lakeRoot);
  }

  /** `{{table}}` → a Parquet scan of that table's partitions (or an empty relation with the contract's columns). */
  private resolveTables(sql: string): string {
    return sql.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (_, name: string) => {
      if (!isContractTable(name)) throw new Error(`SQL 引用了不在白名单的表 table "${name}" is not in the data contract`);
      // A table's folder appears with its first partition (the store writes lake/<table>/dt=…/ and nothing else there).
      const dir = this.lakeRoot ? join(this.lakeRoot, name) : undefined;
      if (dir !== undefined && existsSync(dir)) {
        const glob = join(dir, '*', '*.parquet');
        return `read_parquet(${sqlString(glob)}, hive_partitioning = true, hive_types = {'dt': VARCHAR})`;
      }
      const cols = [...tableSpec(name).columns.map((c) => `CAST(NULL AS ${SQL_TYPES[c.type]}) AS ${c.name}`), `CAST(NULL AS VARCHAR) AS dt`];
      return `(SELECT ${cols.join(', ')} WHERE false)`;
    });
  }

  query(sql: string, options: QueryOptions = {}): Promise<QueryResult> {
    const next = this.queue.then(() => this.runQuery(sql, options));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async runQuery(sql: string, options: QueryOptions): Promise<QueryResult> {
    const started = performance.now();
    const text = this.resolveTables(sql);
    const params = (options.params ?? []) as DuckDBValue[];
    const timer = options.timeoutMs ? setTimeout(() => this.conn.interrupt(), options.timeoutMs) : undefined;
    try {
      const reader = options.maxRows !== undefined
        ? await this.conn.runAndReadUntil(text, options.maxRows + 1, params)
        : await this.conn.runAndReadAll(text, params);
      const names = reader.columnNames();
      const all = reader.getRows();
      const truncated = options.maxRows !== undefined && all.length > options.maxRows;
      const rows = (truncated ? all.slice(0, options.maxRows) : all).map((r) => {
        const o: SqlRow = {};
        names.forEach((n, i) => (o[n] = toSqlValue(r[i]!)));
        return o;
      });
      return { rows, truncated, elapsedMs: performance.now() - started };
    } catch (e) {
      if (options.timeoutMs && performance.now() - started >= options.timeoutMs) {
        throw new QueryLimitError(`查询超过 ${options.timeoutMs} ms 已中止`, `query exceeded ${options.timeoutMs} ms and was cancelled`);
      }
      throw e;
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  async writeParquet({ csvPath, columns, parquetPath }: { csvPath: string; columns: readonly ParquetColumn[]; parquetPath: string }): Promise<{ rows: number }> {
    const spec = columns.map((c) => `${sqlString(c.name)}: ${sqlString(SQL_TYPES[c.type])}`).join(', ');
    const select = columns.map((c) => (c.type === 'timestamp' ? `CAST("${c.name}" AS TIMESTAMP_MS) AS "${c.name}"` : `"${c.name}"`)).join(', ');
    // A connection per write, so that several partitions can be written at once.
    const conn = await this.instance.connect();
    try {
      const result = await conn.run(
      `COPY (SELECT ${select} FROM read_csv(${sqlString(csvPath)}, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', nullstr = '', max_line_size = 8388608, columns = {${spec}}))
       TO ${sqlString(parquetPath)} (FORMAT parquet, COMPRESSION zstd)`,
      );
      return { rows: Number(result.rowsChanged) };
    } catch (e) {
      // Errors caused by the values (not by the machine) become LakeWriteRefused, with the clean file's line if DuckDB gave one.
      const message = e instanceof Error ? e.message : String(e);
      if (/^(Conversion|Invalid Input|Out of Range) Error/.test(message)) {
        const line = /\bLine: (\d+)/i.exec(message)?.[1];
        throw new LakeWriteRefused(message.split('\n')[0]!, line ? Number(line) : undefined);
      }
      throw e;
    } finally {
      conn.closeSync();
    }
  }

  async close(): Promise<void> {
    this.conn.closeSync();
    this.instance.closeSync();
  }
}

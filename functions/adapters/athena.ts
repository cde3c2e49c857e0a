/**
 * QueryEngine on Amazon Athena (engine v3): runs the same portable .sql files as DuckDB. `{{table}}` becomes the Glue
 * table of the data contract; every value travels as an ExecutionParameter (strings with their single quotes, as Athena
 * substitutes them literally); the execution is polled with capped backoff and cancelled at its time limit; result pages
 * (≤ 1,000 rows, the header row only on the first) are converted from Athena's strings to numbers and booleans by the
 * column types; failures carry Athena's own reason.
 */
import {
  AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand, StopQueryExecutionCommand,
  type ColumnInfo, type GetQueryResultsCommandOutput,
} from '@aws-sdk/client-athena';
import { isContractTable } from '../domain/contract.ts';
import { QueryLimitError, type QueryEngine, type QueryOptions, type QueryResult, type SqlRow, type SqlValue } from '../ports.ts';

export interface AthenaEngineOptions {
  client: AthenaClient;
  /** The workgroup (engine v3, enforced configuration: it names the encrypted results location). */
  workGroup: string;
  /** The Glue database holding one table per contract table. */
  database: string;
  catalog?: string;
  /** Overall limit per query unless the call sets its own; the query is stopped when it is reached. */
  timeoutMs?: number;
  /** Reuse a result of the same SQL and parameters up to this age (0: never). Snapshots tolerate a few minutes. */
  reuseMinutes?: number;
  pollFirstMs?: number;
  pollMaxMs?: number;
  /** Injected in tests. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export class AthenaQueryError extends Error {}

const NUMERIC = new Set(['tinyint', 'smallint', 'integer', 'int', 'bigint', 'double', 'float', 'real', 'decimal']);

/** An ExecutionParameter: Athena pastes it into the statement as written, so strings carry their quotes. */
export function athenaParameter(v: SqlValue): string {
  if (v === null) return 'NULL';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new AthenaQueryError(`参数不是有限数值 / parameter is not a finite number: ${v}`);
    return String(v);
  }
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  return `'${v.replaceAll("'", "''")}'`;
}

function convert(value: string | undefined, column: ColumnInfo): SqlValue {
  if (value === undefined) return null;
  const type = (column.Type ?? 'varchar').toLowerCase();
  if (NUMERIC.has(type)) return Number(value);
  if (type === 'boolean') return value === 'true';
  return value;
}

export class AthenaEngine implements QueryEngine {
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;

  constructor(private readonly o: AthenaEngineOptions) {
    this.sleep = o.sleep ?? ((ms) => new Promise((ok) => setTimeout(ok, ms)));
    this.now = o.now ?? (() => performance.now());
  }

  /** `{{table}}` → `"database"."table"`, for contract tables only. */
  resolveTables(sql: string): string {
    return sql.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (_, name: string) => {
      if (!isContractTable(name)) throw new AthenaQueryError(`SQL 引用了不在白名单的表 table "${name}" is not in the data contract`);
      return `"${this.o.database}"."${name}"`;
    });
  }

  async query(sql: string, options: QueryOptions = {}): Promise<QueryResult> {
    const started = this.now();
    const text = this.resolveTables(sql);
    const params = (options.params ?? []).map(athenaParameter);
    const timeoutMs = options.timeoutMs ?? this.o.timeoutMs ?? 120_000;
    const start = await this.o.client.send(new StartQueryExecutionCommand({
      QueryString: text,
      WorkGroup: this.o.workGroup,
      QueryExecutionContext: { Database: this.o.database, Catalog: this.o.catalog ?? 'AwsDataCatalog' },
      ...(params.length ? { ExecutionParameters: params } : {}),
      ...(this.o.reuseMinutes ? { ResultReuseConfiguration: { ResultReuseByAgeConfiguration: { Enabled: true, MaxAgeInMinutes: this.o.reuseMinutes } } } : {}),
    }));
    const id = start.QueryExecutionId;
    if (!id) throw new AthenaQueryError('Athena 未返回查询编号 / Athena returned no query execution id');

    let wait = this.o.pollFirstMs ?? 100;
    for (;;) {
      const ex = (await this.o.client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }))).QueryExecution;
      const state = ex?.Status?.State;
      if (state === 'SUCCEEDED') break;
      if (state === 'FAILED' || state === 'CANCELLED') {
        const reason = [ex?.Status?.StateChangeReason, ex?.Status?.AthenaError?.ErrorMessage].filter(Boolean).join(' — ') || state;
        throw new AthenaQueryError(`Athena 查询${state === 'FAILED' ? '失败' : '被取消'}（${id}）/ Athena query ${state.toLowerCase()} (${id}): ${reason}`);
      }
      if (this.now() - started + wait > timeoutMs) {
        await this.o.client.send(new StopQueryExecutionCommand({ QueryExecutionId: id }));
        throw new QueryLimitError(`查询超过 ${timeoutMs} ms 已取消（${id}）`, `query exceeded ${timeoutMs} ms and was cancelled (${id})`);
      }
      await this.sleep(wait);
      wait = Math.min(this.o.pollMaxMs ?? 2_000, wait * 2);
    }

    const rows: SqlRow[] = [];
    let columns: ColumnInfo[] | undefined;
    let token: string | undefined;
    let first = true;
    let truncated = false;
    do {
      const page: GetQueryResultsCommandOutput = await this.o.client.send(new GetQueryResultsCommand({ QueryExecutionId: id, ...(token ? { NextToken: token } : {}), MaxResults: 1000 }));
      columns ??= page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? [];
      const data = page.ResultSet?.Rows ?? [];
      // Only the first page of a SELECT starts with the header row.
      for (const r of first ? data.slice(1) : data) {
        if (options.maxRows !== undefined && rows.length >= options.maxRows) {
          truncated = true;
          break;
        }
        const o: SqlRow = {};
        columns.forEach((c, i) => (o[c.Name ?? `_${i}`] = convert(r.Data?.[i]?.VarCharValue, c)));
        rows.push(o);
      }
      first = false;
      token = page.NextToken;
    } while (token && !truncated);
    return { rows, truncated, elapsedMs: this.now() - started };
  }

  async close(): Promise<void> {
    // The client's sockets belong to whoever made it.
  }
}

/** The Athena QueryEngine against a mocked Athena API (no local Athena exists): parameters, polling, pages, types, failures. */
import { AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand, StopQueryExecutionCommand, type Row } from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { AthenaEngine, AthenaQueryError, athenaParameter } from '../../functions/adapters/athena.ts';
import { QueryLimitError } from '../../functions/ports.ts';
import { sqlText } from '../../functions/sql/index.ts';

const athena = mockClient(AthenaClient);
const row = (...values: (string | undefined)[]): Row => ({ Data: values.map((v) => (v === undefined ? {} : { VarCharValue: v })) });
const COLUMNS = [{ Name: 'department_id', Type: 'varchar' }, { Name: 'visits', Type: 'bigint' }, { Name: 'revenue', Type: 'double' }, { Name: 'open', Type: 'boolean' }];

function engine(extra: Partial<ConstructorParameters<typeof AthenaEngine>[0]> = {}) {
  let clock = 0;
  const slept: number[] = [];
  const e = new AthenaEngine({
    client: new AthenaClient({ region: 'cn-north-1' }), workGroup: 'opsdeck', database: 'opsdeck_lake', reuseMinutes: 15,
    sleep: async (ms) => { slept.push(ms); clock += ms; }, now: () => clock, ...extra,
  });
  return { e, slept };
}

beforeEach(() => athena.reset());

describe('Athena QueryEngine', () => {
  it('runs a portable .sql file with its values as quoted parameters, polls with capped backoff and reads every page', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q1' });
    athena.on(GetQueryExecutionCommand)
      .resolvesOnce({ QueryExecution: { Status: { State: 'QUEUED' } } })
      .resolvesOnce({ QueryExecution: { Status: { State: 'RUNNING' } } })
      .resolvesOnce({ QueryExecution: { Status: { State: 'RUNNING' } } })
      .resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' } } });
    // Two pages: the header row only on the first one; a NULL arrives as a Datum without a value.
    athena.on(GetQueryResultsCommand, { QueryExecutionId: 'q1' })
      .resolvesOnce({ ResultSet: { ResultSetMetadata: { ColumnInfo: COLUMNS }, Rows: [row('department_id', 'visits', 'revenue', 'open'), row('D101', '12', '3456.5', 'true')] }, NextToken: 't2' })
      .resolvesOnce({ ResultSet: { ResultSetMetadata: { ColumnInfo: COLUMNS }, Rows: [row('D102', '0', undefined, 'false')] } });
    const { e, slept } = engine({ pollFirstMs: 100, pollMaxMs: 300 });
    const r = await e.query(sqlText('department_outpatient_months'), { params: ['2026-01-01', "2026-01-31' OR '1'='1"] });
    expect(r.rows).toEqual([{ department_id: 'D101', visits: 12, revenue: 3456.5, open: true }, { department_id: 'D102', visits: 0, revenue: null, open: false }]);
    expect(r.truncated).toBe(false);
    expect(slept).toEqual([100, 200, 300]); // doubled, capped at 300
    const start = athena.commandCalls(StartQueryExecutionCommand)[0]!.args[0].input;
    expect(start.QueryString).toContain('FROM "opsdeck_lake"."outpatient_visits"');
    expect(start.QueryString).not.toContain('{{');
    // The injection attempt stays inside one quoted string literal.
    expect(start.ExecutionParameters).toEqual(["'2026-01-01'", "'2026-01-31'' OR ''1''=''1'"]);
    expect(start).toMatchObject({ WorkGroup: 'opsdeck', QueryExecutionContext: { Database: 'opsdeck_lake', Catalog: 'AwsDataCatalog' }, ResultReuseConfiguration: { ResultReuseByAgeConfiguration: { Enabled: true, MaxAgeInMinutes: 15 } } });
    expect(athena.commandCalls(GetQueryResultsCommand).map((c) => c.args[0].input.NextToken)).toEqual([undefined, 't2']);
  });

  it('stops at maxRows and says the result was cut', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q2' });
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' } } });
    athena.on(GetQueryResultsCommand)
      .resolvesOnce({ ResultSet: { ResultSetMetadata: { ColumnInfo: COLUMNS }, Rows: [row('department_id', 'visits', 'revenue', 'open'), row('A', '1', '1', 'true'), row('B', '2', '2', 'true')] }, NextToken: 'n' })
      .resolvesOnce({ ResultSet: { ResultSetMetadata: { ColumnInfo: COLUMNS }, Rows: [row('C', '3', '3', 'true')] } });
    const r = await engine().e.query('SELECT 1 FROM {{campuses}} WHERE dt = ?', { params: ['2026-01-01'], maxRows: 2 });
    expect(r.rows.map((x) => x.department_id)).toEqual(['A', 'B']);
    expect(r.truncated).toBe(true);
  });

  it('returns no rows for an empty result (the header row alone)', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q3' });
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' } } });
    athena.on(GetQueryResultsCommand).resolves({ ResultSet: { ResultSetMetadata: { ColumnInfo: COLUMNS }, Rows: [row('department_id', 'visits', 'revenue', 'open')] } });
    expect((await engine().e.query('SELECT 1 FROM {{campuses}} WHERE dt = ?', { params: ['x'] })).rows).toEqual([]);
  });

  it("surfaces Athena's reason when a query fails or is cancelled", async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q4' });
    athena.on(GetQueryExecutionCommand).resolvesOnce({ QueryExecution: { Status: { State: 'FAILED', StateChangeReason: 'COLUMN_NOT_FOUND: line 1:8: Column \'x\' cannot be resolved', AthenaError: { ErrorMessage: 'schema mismatch' } } } });
    await expect(engine().e.query('SELECT x FROM {{campuses}} WHERE dt = ?', { params: ['x'] })).rejects.toThrow(/failed \(q4\): COLUMN_NOT_FOUND.*cannot be resolved — schema mismatch/);
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'CANCELLED', StateChangeReason: 'Query cancelled by user' } } });
    await expect(engine().e.query('SELECT 1 FROM {{campuses}} WHERE dt = ?', { params: ['x'] })).rejects.toThrow(/cancelled \(q4\): Query cancelled by user/);
    expect(athena.commandCalls(GetQueryResultsCommand)).toHaveLength(0);
  });

  it('cancels a query that outlives its time limit', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q5' });
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'RUNNING' } } });
    athena.on(StopQueryExecutionCommand).resolves({});
    const { e, slept } = engine({ pollFirstMs: 100, pollMaxMs: 1000 });
    await expect(e.query('SELECT 1 FROM {{campuses}} WHERE dt = ?', { params: ['x'], timeoutMs: 2000 })).rejects.toBeInstanceOf(QueryLimitError);
    expect(athena.commandCalls(StopQueryExecutionCommand)[0]!.args[0].input).toEqual({ QueryExecutionId: 'q5' });
    // 100 + 200 + 400 + 800 = 1,500 ms waited; the next wait (1,000) would pass 2,000, so it stops instead.
    expect(slept).toEqual([100, 200, 400, 800]);
  });

  it('refuses tables outside the contract and values that are not finite, before calling Athena', async () => {
    await expect(engine().e.query('SELECT * FROM {{pg_shadow}} WHERE dt = ?', { params: ['x'] })).rejects.toBeInstanceOf(AthenaQueryError);
    await expect(engine().e.query('SELECT 1 FROM {{campuses}} WHERE dt = ?', { params: [Number.NaN] })).rejects.toThrow(/finite/);
    expect(athena.commandCalls(StartQueryExecutionCommand)).toHaveLength(0);
    expect([athenaParameter(null), athenaParameter(3.5), athenaParameter(true), athenaParameter("O'Brien")]).toEqual(['NULL', '3.5', 'TRUE', "'O''Brien'"]);
  });
});

/**
 * The Glue tables generated from the data contract, checked against the contract and against the Parquet files the
 * DuckDB writer actually produces (so that Athena reads what the pipeline writes).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../functions/adapters/duckdb.ts';
import { TABLES } from '../../functions/domain/contract.ts';
import { GLUE_TYPES, glueTableInputs } from '../../infra/glue-tables.ts';

let dir: string;
let engine: DuckDbEngine;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'opsdeck-glue-'));
  engine = await DuckDbEngine.open({ tempDir: dir });
});
afterAll(async () => {
  await engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Glue tables from the data contract', () => {
  const tables = glueTableInputs('hosp-lake');

  it('has one external Parquet table per contract table, its columns in contract order, partitioned by dt with projection', () => {
    expect(tables.map((t) => t.name)).toEqual(TABLES.map((t) => t.name));
    for (const [i, t] of tables.entries()) {
      const spec = TABLES[i]!;
      expect(t.storageDescriptor.columns.map((c) => c.name)).toEqual(spec.columns.map((c) => c.name));
      expect(t.partitionKeys).toEqual([expect.objectContaining({ name: 'dt', type: 'string' })]);
      expect(t.storageDescriptor.location).toBe(`s3://hosp-lake/lake/${spec.name}/`);
      expect(t.parameters).toMatchObject({
        classification: 'parquet', 'projection.enabled': 'true', 'projection.dt.type': 'date', 'projection.dt.format': 'yyyy-MM-dd',
        'storage.location.template': `s3://hosp-lake/lake/${spec.name}/dt=\${dt}/`,
      });
      expect(t.storageDescriptor.serdeInfo.serializationLibrary).toBe('org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe');
    }
    // Budgets are planned for the year ahead: monthly tables project partitions beyond today.
    expect(tables.find((t) => t.name === 'budget_plan')!.parameters['projection.dt.range']).toBe('2015-01-01,NOW+400DAYS');
    expect(tables.find((t) => t.name === 'charge_lines')!.parameters['projection.dt.range']).toBe('2015-01-01,NOW+1DAYS');
  });

  it('declares for every column the type that the pipeline writes into Parquet', async () => {
    // Read back what the writer produced, and name its types independently of the generator's own mapping.
    const expected: Record<string, string> = { VARCHAR: 'string', INTEGER: 'int', 'DECIMAL(18,2)': 'decimal(18,2)', 'DECIMAL(18,4)': 'decimal(18,4)', DATE: 'date', TIMESTAMP: 'timestamp', TIMESTAMP_MS: 'timestamp', BOOLEAN: 'boolean' };
    let checked = 0;
    for (const spec of TABLES) {
      const csv = join(dir, `${spec.name}.csv`);
      writeFileSync(csv, `${spec.columns.map((c) => c.name).join(',')}\n`);
      const parquet = join(dir, `${spec.name}.parquet`);
      await engine.writeParquet({ csvPath: csv, columns: spec.columns, parquetPath: parquet });
      const { rows } = await engine.query(`DESCRIBE SELECT * FROM read_parquet('${parquet}')`);
      const glue = tables.find((t) => t.name === spec.name)!.storageDescriptor.columns;
      expect(rows.map((r) => r.column_name)).toEqual(glue.map((c) => c.name));
      for (const [i, r] of rows.entries()) {
        expect([spec.name, r.column_name, expected[String(r.column_type)] ?? `unexpected ${String(r.column_type)}`]).toEqual([spec.name, glue[i]!.name, glue[i]!.type]);
        checked++;
      }
    }
    expect(checked).toBe(TABLES.reduce((s, t) => s + t.columns.length, 0));
  });

  it('writes a timestamp column as milliseconds, which Athena reads (no contract table has one yet)', async () => {
    const csv = join(dir, 'ts.csv');
    writeFileSync(csv, 'finished_at\n2026-03-16 01:30:00\n');
    const parquet = join(dir, 'ts.parquet');
    await engine.writeParquet({ csvPath: csv, columns: [{ name: 'finished_at', type: 'timestamp' }], parquetPath: parquet });
    const [col] = (await engine.query(`SELECT logical_type FROM parquet_schema('${parquet}') WHERE name = 'finished_at'`)).rows;
    expect(String(col!.logical_type)).toMatch(/MILLIS/);
    expect(GLUE_TYPES.timestamp).toBe('timestamp');
  });
});

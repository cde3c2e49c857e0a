/**
 * The Glue tables of the lake, generated from the data contract (one source of truth for the schema): one external
 * Parquet table per contract table, partitioned by `dt` with partition projection, so Athena needs no crawler and no
 * `MSCK REPAIR`, and prunes partitions from the `dt` predicate every portable .sql file carries. Plain objects in the
 * shape of CfnTable's `tableInput`, so the CDK construct passes them through and tests read them without CDK.
 */
import { COLUMN_STORAGE, TABLES, type ColumnType, type TableSpec } from '../functions/domain/contract.ts';

/** Glue/Hive types for what the DuckDB writer puts in Parquet (see functions/adapters/duckdb.ts). */
export const GLUE_TYPES = Object.fromEntries(Object.entries(COLUMN_STORAGE).map(([t, s]) => [t, s.glue])) as Record<ColumnType, string>;

export interface GlueTableInput {
  name: string;
  description: string;
  tableType: 'EXTERNAL_TABLE';
  parameters: Record<string, string>;
  partitionKeys: { name: string; type: string; comment: string }[];
  storageDescriptor: {
    columns: { name: string; type: string; comment: string }[];
    location: string;
    inputFormat: string;
    outputFormat: string;
    serdeInfo: { serializationLibrary: string; parameters: Record<string, string> };
  };
}

/**
 * How far ahead partitions may exist: daily facts arrive for yesterday; monthly facts sit in their month's first day and
 * budgets are planned for the whole year ahead; reference tables change rarely.
 */
const AHEAD: Record<TableSpec['kind'], string> = { daily: 'NOW+1DAYS', monthly: 'NOW+400DAYS', reference: 'NOW+31DAYS' };

export function glueTableInputs(lakeBucket: string, earliest = '2015-01-01'): GlueTableInput[] {
  return TABLES.map((t): GlueTableInput => {
    const location = `s3://${lakeBucket}/lake/${t.name}/`;
    return {
      name: t.name,
      description: `${t.zh} / ${t.en} (${t.kind}, source ${t.source})`,
      tableType: 'EXTERNAL_TABLE',
      parameters: {
        classification: 'parquet',
        'parquet.compression': 'ZSTD',
        'projection.enabled': 'true',
        'projection.dt.type': 'date',
        'projection.dt.format': 'yyyy-MM-dd',
        'projection.dt.range': `${earliest},${AHEAD[t.kind]}`,
        'projection.dt.interval': '1',
        'projection.dt.interval.unit': 'DAYS',
        'storage.location.template': `${location}dt=\${dt}/`,
      },
      partitionKeys: [{ name: 'dt', type: 'string', comment: '夜间批次日期 / night (yyyy-MM-dd)' }],
      storageDescriptor: {
        columns: t.columns.map((c) => ({ name: c.name, type: GLUE_TYPES[c.type], comment: `${c.zh} / ${c.en}` })),
        location,
        inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
        outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
        serdeInfo: { serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe', parameters: { 'serialization.format': '1' } },
      },
    };
  });
}

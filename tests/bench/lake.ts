/**
 * The lake at each scale (the cached demo hospitals: two years of daily facts, charge lines for the last 62 nights):
 * bytes on disk per night and per year of each table (2025's partitions; charge lines per night × 365) against the same
 * rows as the hospital's CSV, and an estimate of what Athena would scan for one night's aggregate and for a drill-down
 * with partition and column pruning (Parquet column chunks of the columns each statement names, over the days its
 * window covers) against the same statements reading their whole tables. Sizes do not vary between runs: measured once.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TABLES } from '../../functions/domain/contract.ts';
import type { Scale } from '../../functions/local/demo/hospital.ts';
import { sqlText, type SqlName } from '../../functions/sql/index.ts';
import { dataset, openDataset } from './datasets.ts';
import type { BenchOutput, SummaryRow } from './summary.ts';

/** The windows one night's aggregate reads, per statement (days of partitions), as the pipeline's steps ask for them. */
export const NIGHT_READS: [sql: SqlName, days: number][] = [
  ['campus_outpatient_daily', 92], ['campus_inpatient_daily', 92], ['campus_census_daily', 92], ['campus_surgery_daily', 92], // trend + MoM + YoY
  ['drg_cases', 366], // twelve months for the trend and year to date
  ['charge_excess', 32], ['item_use_daily', 425], ['ward_census_daily', 41], // alerts
  ['department_outpatient_months', 396], ['department_inpatient_months', 396], ['department_census_months', 396], ['department_surgery_months', 396], // finance: 12 closed months + MTD + last year's MTD
];

/** A year of revenue by department with YoY in the explorer: two years of visits and discharged cases. */
const DRILL: [sql: SqlName, days: number][] = [['explore_outpatient', 730], ['explore_inpatient', 730]];

/** The lake table a statement reads and the contract's columns it names. */
export function statementReads(name: SqlName): { table: string; columns: string[] } {
  const sql = sqlText(name).replace(/--.*$/gm, '').replaceAll('{{$dimension}}', 'department_id');
  const table = /\{\{\s*([a-z_]+)\s*\}\}/.exec(sql)?.[1] ?? '';
  const spec = TABLES.find((t) => t.name === table);
  if (!spec) throw new Error(`${name}.sql: no lake table named in it`);
  return { table, columns: spec.columns.map((c) => c.name).filter((c) => new RegExp(`\\b${c}\\b`).test(sql)) };
}

const MB = (b: number): string => `${(b / 2 ** 20).toFixed(b >= 10 * 2 ** 20 ? 0 : 1)} MB`;

export interface LakeFigures {
  scale: Scale;
  bytesPerYear: number;
  csvBytesPerYear: number;
  nightScanBytes: number;
  nightWholeTableBytes: number;
  drillScanBytes: number;
  tables: Record<string, { perNight: number; perYear: number; csvPerYear: number }>;
}

/** Bytes of a table's files, all partitions and 2025's, with the partition count. */
function folderBytes(base: string, ext: string): { total: number; year: number; parts: number; yearParts: number; files: string[] } {
  const parts = readdirSync(base).filter((d) => d.startsWith('dt='));
  let total = 0;
  let year = 0;
  const files: string[] = [];
  for (const p of parts) {
    for (const f of readdirSync(join(base, p)).filter((x) => x.endsWith(ext))) {
      const size = statSync(join(base, p, f)).size;
      files.push(join(base, p, f));
      total += size;
      if (p.startsWith('dt=2025-')) year += size;
    }
  }
  return { total, year, parts: parts.length, yearParts: parts.filter((p) => p.startsWith('dt=2025-')).length, files };
}

/** A year of a table: 2025's partitions, or the nightly average × 365 where fewer nights were generated (charge lines). */
const perYear = (b: ReturnType<typeof folderBytes>): number => (b.yearParts >= 300 ? b.year : (b.total / Math.max(1, b.parts)) * 365);

async function lakeAt(scale: Scale): Promise<{ lines: string[]; figures: LakeFigures }> {
  const d = await dataset(scale);
  const rt = await openDataset(d);
  try {
    const perDay = new Map<string, { total: number; columns: Map<string, number> }>();
    const out = [`## The lake at scale ${scale}`, '', '| table | Parquet per night | a year as Parquet | a year as the hospital\'s CSV | Parquet ÷ CSV |', '|---|---|---|---|---|'];
    const tables: LakeFigures['tables'] = {};
    let bytesPerYear = 0;
    let csvBytesPerYear = 0;
    for (const t of TABLES.filter((x) => x.kind === 'daily')) {
      const lake = folderBytes(join(d.dir, 'lake', t.name), '.parquet');
      const csv = folderBytes(join(d.dir, 'landing', t.name), '.csv');
      const columns = new Map<string, number>();
      for (const file of lake.files) {
        for (const r of (await rt.engine.query(`SELECT path_in_schema AS c, SUM(total_compressed_size) AS b FROM parquet_metadata('${file}') GROUP BY 1`)).rows) {
          columns.set(String(r.c), (columns.get(String(r.c)) ?? 0) + Number(r.b));
        }
      }
      const n = Math.max(1, lake.parts);
      perDay.set(t.name, { total: lake.total / n, columns: new Map([...columns].map(([c, b]) => [c, b / n])) });
      const year = perYear(lake);
      const csvYear = perYear(csv);
      tables[t.name] = { perNight: lake.total / n, perYear: year, csvPerYear: csvYear };
      bytesPerYear += year;
      csvBytesPerYear += csvYear;
      out.push(`| ${t.name} | ${(lake.total / n / 1024).toFixed(0)} KB | ${MB(year)}${year === lake.year ? '' : ' (× 365)'} | ${MB(csvYear)} | ${(year / csvYear).toFixed(2)} |`);
    }
    out.push(`| all daily facts | | ${MB(bytesPerYear)} | ${MB(csvBytesPerYear)} | ${(bytesPerYear / csvBytesPerYear).toFixed(2)} |`);
    out.push('', '| statement | days | table | columns read | estimated scan | the whole table |', '|---|---|---|---|---|---|');
    let night = 0;
    let nightWhole = 0;
    let drill = 0;
    for (const [name, days, isDrill] of [...NIGHT_READS.map(([n, dd]) => [n, dd, false] as const), ...DRILL.map(([n, dd]) => [n, dd, true] as const)]) {
      const { table, columns } = statementReads(name);
      const p = perDay.get(table);
      const bytes = p ? columns.reduce((s, c) => s + (p.columns.get(c) ?? 0), 0) * days : 0;
      // Without partitions or columns: every statement reads two years of its table (charge lines: as if they were kept).
      const whole = p ? p.total * 730 : 0;
      if (isDrill) drill += bytes;
      else {
        night += bytes;
        nightWhole += whole;
      }
      out.push(`| ${isDrill ? 'drill-down: ' : ''}${name} | ${days} | ${table} | ${columns.length} of ${TABLES.find((t) => t.name === table)!.columns.length} | ${MB(bytes)} | ${MB(whole)} |`);
    }
    out.push('', `one night's aggregate, daily facts: about ${MB(night)} scanned with partition and column pruning (reference and monthly tables add a few MB), against ${MB(nightWhole)} if each statement read two years of its whole table; at US$5 per TB that is US$${((night / 2 ** 40) * 5 * 365).toFixed(2)} a year, before Athena's 10 MB minimum per statement`);
    out.push(`a year of revenue by department with YoY in the explorer: about ${MB(drill)} scanned (US$${((drill / 2 ** 40) * 5).toFixed(5)})`, '');
    return { lines: out, figures: { scale, bytesPerYear, csvBytesPerYear, nightScanBytes: night, nightWholeTableBytes: nightWhole, drillScanBytes: drill, tables } };
  } finally {
    await rt.close();
  }
}

export function lakeSummary(f: LakeFigures): SummaryRow[] {
  return [
    { scale: f.scale, measure: 'a year of daily facts on disk (Parquet, zstd)', value: MB(f.bytesPerYear), reference: `the same rows as the hospital's CSV: ${MB(f.csvBytesPerYear)}`, ratio: f.bytesPerYear / f.csvBytesPerYear },
    { scale: f.scale, measure: 'one night\'s aggregate: bytes Athena would scan, with partition and column pruning', value: MB(f.nightScanBytes), reference: `the same statements over whole tables: ${MB(f.nightWholeTableBytes)}`, ratio: f.nightScanBytes / f.nightWholeTableBytes },
  ];
}

export async function lakeBench(): Promise<BenchOutput> {
  const lines: string[] = [];
  const figures: LakeFigures[] = [];
  for (const scale of ['s', 'm', 'l'] as const) {
    const r = await lakeAt(scale);
    lines.push(...r.lines);
    figures.push(r.figures);
  }
  return { lines, figures, summary: figures.flatMap(lakeSummary) };
}

/**
 * The lake at each scale (the cached demo hospitals: two years of daily facts, charge lines for the last 62 nights):
 * bytes on disk per night and per year of each table (2025's partitions; charge lines per night × 365), and an estimate
 * of what Athena would scan for one night's aggregate and for a drill-down with partition and column pruning (Parquet
 * column chunks of the columns each statement names, over the days its window covers).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { TABLES } from '../../functions/domain/contract.ts';
import type { Scale } from '../../functions/local/demo/hospital.ts';
import { PROJECT_ROOT } from '../../functions/local/web-build.ts';
import { dataset, openDataset } from './datasets.ts';

const SQL_DIR = join(PROJECT_ROOT, 'functions', 'sql');

/** The windows one night's aggregate reads, per statement (days of partitions), as the pipeline's steps ask for them. */
const NIGHT: [sql: string, days: number][] = [
  ['campus_outpatient_daily', 92], ['campus_inpatient_daily', 92], ['campus_census_daily', 92], ['campus_surgery_daily', 92], // trend + MoM + YoY
  ['drg_cases', 366], // twelve months for the trend and year to date
  ['charge_excess', 32], ['item_use_daily', 425], ['ward_census_daily', 41], // alerts
  ['department_outpatient_months', 396], ['department_inpatient_months', 396], ['department_census_months', 396], ['department_surgery_months', 396], // finance: 12 closed months + MTD + last year's MTD
];

/** A year of revenue by department with YoY in the explorer: two years of visits and discharged cases. */
const DRILL: [sql: string, days: number][] = [['explore_outpatient', 730], ['explore_inpatient', 730]];

export interface LakeFigures { scale: Scale; bytesPerYear: number; nightScanBytes: number; drillScanBytes: number; tables: Record<string, { perNight: number; perYear: number }> }

export async function lakeBench(): Promise<{ lines: string[]; figures: LakeFigures[] }> {
  const lines: string[] = [];
  const figures: LakeFigures[] = [];
  for (const scale of ['s', 'm', 'l'] as const) {
    const r = await lakeAt(scale);
    lines.push(...r.lines);
    figures.push(r.figures);
  }
  return { lines, figures };
}

async function lakeAt(scale: Scale): Promise<{ lines: string[]; figures: LakeFigures }> {
  const d = await dataset(scale);
  const dir = d.dir;
  {
    const rt = await openDataset(d);
    try {
      // Per table: bytes per day on disk, and per column (compressed Parquet column chunks).
      const perDay = new Map<string, { total: number; columns: Map<string, number> }>();
      const out = [`## The lake at scale ${scale}`, '| table | bytes per night on disk | 2025 on disk |', '|---|---|---|'];
      const tables: LakeFigures['tables'] = {};
      let bytesPerYear = 0;
      for (const t of TABLES.filter((x) => x.kind === 'daily')) {
        const base = join(dir, 'lake', t.name);
        const parts = readdirSync(base).filter((d) => d.startsWith('dt='));
        let total = 0;
        let year = 0;
        const columns = new Map<string, number>();
        for (const p of parts) {
          for (const f of readdirSync(join(base, p))) {
            const file = join(base, p, f);
            const size = readFileSync(file).length;
            total += size;
            if (p.startsWith('dt=2025-')) year += size;
            for (const r of (await rt.engine.query(`SELECT path_in_schema AS c, SUM(total_compressed_size) AS b FROM parquet_metadata('${file}') GROUP BY 1`)).rows) {
              columns.set(String(r.c), (columns.get(String(r.c)) ?? 0) + Number(r.b));
            }
          }
        }
        const n = Math.max(1, parts.length);
        perDay.set(t.name, { total: total / n, columns: new Map([...columns].map(([c, b]) => [c, b / n])) });
        // Charge lines cover the last 62 nights only: a year is their nightly size × 365.
        const perYear = parts.filter((p) => p.startsWith('dt=2025-')).length >= 300 ? year : (total / n) * 365;
        tables[t.name] = { perNight: total / n, perYear };
        bytesPerYear += perYear;
        out.push(`| ${t.name} | ${(total / n / 1024).toFixed(0)} KB | ${(perYear / 2 ** 20).toFixed(1)} MB${perYear === year ? '' : ' (× 365)'} |`);
      }
      out.push(`| all daily facts | | ${(bytesPerYear / 2 ** 20).toFixed(0)} MB a year |`);
      out.push('', '| statement | days | table | columns read | estimated scan |', '|---|---|---|---|---|');
      let night = 0;
      let drill = 0;
      for (const [name, days, isDrill] of [...NIGHT.map(([n, dd]) => [n, dd, false] as const), ...DRILL.map(([n, dd]) => [n, dd, true] as const)]) {
        const sql = readFileSync(join(SQL_DIR, `${name}.sql`), 'utf8').replace(/--.*$/gm, '').replaceAll('{{$dimension}}', 'department_id');
        const table = /\{\{\s*([a-z_]+)\s*\}\}/.exec(sql)?.[1] ?? '';
        const spec = TABLES.find((t) => t.name === table)!;
        const used = spec.columns.map((c) => c.name).filter((c) => new RegExp(`\\b${c}\\b`).test(sql));
        const d = perDay.get(table);
        const bytes = d ? used.reduce((s, c) => s + (d.columns.get(c) ?? 0), 0) * days : 0;
        if (isDrill) drill += bytes;
        else night += bytes;
        out.push(`| ${isDrill ? 'drill-down: ' : ''}${name} | ${days} | ${table} | ${used.length} of ${spec.columns.length} | ${(bytes / 2 ** 20).toFixed(1)} MB |`);
      }
      out.push('', `one night's aggregate, daily facts: about ${(night / 2 ** 20).toFixed(0)} MB scanned with partition and column pruning (reference and monthly tables add a few MB); at US$5 per TB that is US$${((night / 2 ** 40) * 5 * 365).toFixed(2)} a year, before Athena's 10 MB minimum per statement`);
      out.push(`a year of revenue by department with YoY in the explorer: about ${(drill / 2 ** 20).toFixed(1)} MB scanned (US$${((drill / 2 ** 40) * 5).toFixed(5)})`, '');
      return { lines: out, figures: { scale, bytesPerYear, nightScanBytes: night, drillScanBytes: drill, tables } };
    } finally {
      await rt.close();
    }
  }
}

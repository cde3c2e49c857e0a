/**
 * The lake at scale l: bytes on disk per day of each table, and an estimate of what Athena would scan for one night's
 * aggregate with partition and column pruning (Parquet column chunks of the columns each statement names, over the
 * days its window covers). 62 days are generated; longer windows (a year of DRG cases) are extrapolated per day.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TABLES } from '../../functions/domain/contract.ts';
import { generateDemoHospital } from '../../functions/local/demo/generate.ts';
import { openLocalRuntime } from '../../functions/local/runtime.ts';
import { PROJECT_ROOT } from '../../functions/local/web-build.ts';
import { ingestNights, landingNights } from '../../functions/pipeline/ingest.ts';

const END = '2026-11-22';
const DAYS = 62;
const SQL_DIR = join(PROJECT_ROOT, 'functions', 'sql');

/** The windows one night's aggregate reads, per statement (days of partitions), as the pipeline's steps ask for them. */
const NIGHT: [sql: string, days: number][] = [
  ['campus_outpatient_daily', 92], ['campus_inpatient_daily', 92], ['campus_census_daily', 92], ['campus_surgery_daily', 92], // trend + MoM + YoY
  ['drg_cases', 366], // twelve months for the trend and year to date
  ['charge_excess', 32], ['item_use_daily', 425], ['ward_census_daily', 41], // alerts
  ['department_outpatient_months', 396], ['department_inpatient_months', 396], ['department_census_months', 396], ['department_surgery_months', 396], // finance: 12 closed months + MTD + last year's MTD
];

export async function lakeBench(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'opsdeck-bench-lake-'));
  try {
    await generateDemoHospital({ outDir: dir, seed: 20240101, scale: 'l', endDate: END, days: DAYS, regionDir: join(PROJECT_ROOT, 'data', 'regions', 'harbin-2024') });
    const rt = await openLocalRuntime(dir, { persist: false });
    try {
      await ingestNights(rt.ingestDeps, await landingNights(rt.store), { concurrency: 3 });
      // Per table: bytes per day on disk, and per column (compressed Parquet column chunks).
      const perDay = new Map<string, { total: number; columns: Map<string, number> }>();
      const out = [`## The lake at scale l (${DAYS} nights generated)`, '| table | bytes per night on disk | per year |', '|---|---|---|'];
      for (const t of TABLES.filter((x) => x.kind === 'daily')) {
        const base = join(dir, 'lake', t.name);
        const parts = readdirSync(base).filter((d) => d.startsWith('dt='));
        let total = 0;
        const columns = new Map<string, number>();
        for (const p of parts) {
          for (const f of readdirSync(join(base, p))) {
            const file = join(base, p, f);
            total += readFileSync(file).length;
            for (const r of (await rt.engine.query(`SELECT path_in_schema AS c, SUM(total_compressed_size) AS b FROM parquet_metadata('${file}') GROUP BY 1`)).rows) {
              columns.set(String(r.c), (columns.get(String(r.c)) ?? 0) + Number(r.b));
            }
          }
        }
        const n = Math.max(1, parts.length);
        perDay.set(t.name, { total: total / n, columns: new Map([...columns].map(([c, b]) => [c, b / n])) });
        out.push(`| ${t.name} | ${(total / n / 1024).toFixed(0)} KB | ${((total / n) * 365 / 2 ** 20).toFixed(0)} MB |`);
      }
      out.push('', '| statement | days | table | columns read | estimated scan |', '|---|---|---|---|---|');
      let night = 0;
      for (const [name, days] of NIGHT) {
        const sql = readFileSync(join(SQL_DIR, `${name}.sql`), 'utf8').replace(/--.*$/gm, '');
        const table = /\{\{\s*([a-z_]+)\s*\}\}/.exec(sql)?.[1] ?? '';
        const spec = TABLES.find((t) => t.name === table)!;
        const used = spec.columns.map((c) => c.name).filter((c) => new RegExp(`\\b${c}\\b`).test(sql));
        const d = perDay.get(table);
        const bytes = d ? used.reduce((s, c) => s + (d.columns.get(c) ?? 0), 0) * days : 0;
        night += bytes;
        out.push(`| ${name} | ${days} | ${table} | ${used.length} of ${spec.columns.length} | ${(bytes / 2 ** 20).toFixed(1)} MB |`);
      }
      out.push('', `one night's aggregate, daily facts: about ${(night / 2 ** 20).toFixed(0)} MB scanned with partition and column pruning (reference and monthly tables add a few MB); at US$5 per TB that is US$${((night / 2 ** 40) * 5 * 365).toFixed(2)} a year, before Athena's 10 MB minimum per statement`, '');
      return out;
    } finally {
      await rt.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `opsdeck region`: loads a region folder into a data folder in one step. A region folder is self-contained and in the
 * data contract's form: `drg_groups.csv`, `drg_base_rates.csv` and optionally `drg_benchmarks.csv` (the reference
 * tables, replaced year by year), and `drg-rules.json` (outlier rule sets, DIP score per weight, risk tiers). Every
 * file is checked first; one problem anywhere and nothing is loaded. Then the tables are delivered into `landing/` as
 * the night they take effect and ingested like any delivery, and the rules become the data folder's
 * `config/drg-rules.json`.
 */
import { UserError, type ErrorPlace } from '../domain/user-error.ts';
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parseDrgRules } from '../domain/drg.ts';
import { tableSpec } from '../domain/contract.ts';
import { ingestNights, type NightReport } from '../pipeline/ingest.ts';
import { validateFile } from '../pipeline/validate-file.ts';
import { parseCsv } from '../lake/csv.ts';
import type { LocalRuntime } from './runtime.ts';

export const REGION_TABLES = ['drg_groups', 'drg_base_rates', 'drg_benchmarks'] as const;
const REQUIRED = new Set(['drg_groups', 'drg_base_rates']);
const RULES = 'drg-rules.json';

/** A region folder that cannot be loaded: what is wrong, in both languages, each problem with its file and line. */
export class RegionError extends UserError {
  constructor(zh: string, en: string, place: ErrorPlace = {}) {
    super(422, 'bad_region', zh, en, place);
    this.name = 'RegionError';
  }
}

export interface RegionLoad {
  date: string;
  tables: { table: string; rows: number; years: number[] }[];
  report: NightReport;
}

/** Checks and loads the region folder `dir`; `date` is the night the tables take effect (default: 1 January of their earliest year). */
export async function loadRegion(rt: LocalRuntime, dir: string, date?: string): Promise<RegionLoad> {
  const problems: string[] = [];
  const entries = await readdir(dir).catch(() => {
    throw new RegionError(`找不到地区配置目录 ${dir}`, `No region folder at ${dir}`, { file: dir });
  });
  for (const e of entries) {
    if (e === RULES || e.endsWith('.md')) continue;
    const table = e.replace(/\.csv$/, '');
    if (!e.endsWith('.csv') || !(REGION_TABLES as readonly string[]).includes(table)) {
      problems.push(`${join(dir, e)}：不是地区配置文件（应为 ${REGION_TABLES.map((t) => `${t}.csv`).join('、')}、${RULES}） / not a region file (expected ${REGION_TABLES.map((t) => `${t}.csv`).join(', ')}, ${RULES})`);
    }
  }
  for (const t of REQUIRED) if (!entries.includes(`${t}.csv`)) problems.push(`${join(dir, `${t}.csv`)}：缺少 / missing`);
  if (!entries.includes(RULES)) problems.push(`${join(dir, RULES)}：缺少 / missing`);

  let rules: Uint8Array | undefined;
  if (entries.includes(RULES)) {
    rules = await readFile(join(dir, RULES));
    try {
      parseDrgRules(JSON.parse(new TextDecoder().decode(rules)), join(dir, RULES));
    } catch (e) {
      problems.push((e as Error).message);
    }
  }
  const files: { table: string; bytes: Uint8Array; years: number[]; rows: number }[] = [];
  for (const table of REGION_TABLES.filter((t) => entries.includes(`${t}.csv`))) {
    const path = join(dir, `${table}.csv`);
    const bytes = await readFile(path);
    const years = [...new Set([...parseCsv(new TextDecoder().decode(bytes))].slice(1).map((r) => Number(r.fields[0])).filter(Number.isInteger))].sort();
    files.push({ table, bytes, years, rows: 0 });
  }
  const earliest = Math.min(...files.flatMap((f) => f.years));
  const night = date ?? (Number.isFinite(earliest) ? `${earliest}-01-01` : undefined);
  if (!night) problems.push(`${dir}：表中没有年度 / the tables hold no year`);
  // The same validation a delivery gets (types, storage limits, allowed codes, keys), for the night they take effect.
  for (const f of files) {
    if (!night) break;
    const outcome = validateFile(tableSpec(f.table), night, { key: join(dir, `${f.table}.csv`), bytes: f.bytes, modifiedAt: new Date().toISOString() });
    f.rows = outcome.report.accepted;
    if (outcome.report.refused) problems.push(outcome.report.refused.zh + ' / ' + outcome.report.refused.en);
    else {
      for (const line of [...parseCsv(outcome.rejects.join(''))].slice(0, 10)) problems.push(`${line.fields[0]} 第 ${line.fields[1]} 行 line ${line.fields[1]}, ${line.fields[2]}: ${line.fields[4]} / ${line.fields[5]}`);
      if (outcome.report.rejected > 10) problems.push(`… ${outcome.report.rejected - 10} more rejected rows in ${f.table}.csv`);
      if (outcome.report.duplicates) problems.push(`${join(dir, `${f.table}.csv`)}：${outcome.report.duplicates} 行主键重复 / ${outcome.report.duplicates} rows repeat a key (${tableSpec(f.table).key.join(' + ')})`);
    }
  }
  if (problems.length) throw new RegionError(`地区配置 ${dir} 未载入，请先改正：\n  ${problems.join('\n  ')}`, `The region folder ${dir} was not loaded; correct these first (each line names the file, line and field in both languages):\n  ${problems.join('\n  ')}`, { file: dir });

  const name = basename(dir).replace(/[^A-Za-z0-9_.-]/g, '_');
  for (const f of files) await rt.store.put(`landing/${f.table}/dt=${night}/region-${name}.csv`, f.bytes);
  await rt.store.put('config/drg-rules.json', rules!);
  const [report] = await ingestNights(rt.ingestDeps, [night!]);
  return { date: night!, tables: files.map((f) => ({ table: f.table, rows: f.rows, years: f.years })), report: report! };
}

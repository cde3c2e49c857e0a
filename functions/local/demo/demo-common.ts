/** The demo generator's shared parts: options and manifest, the region's DRG tables, seasons, fund shares, the landing writer. */
import { readFile } from 'node:fs/promises';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableSpec } from '../../domain/contract.ts';
import { addDays, shiftMonths, toDayNumber } from '../../domain/calendar.ts';
import { csvField, parseCsv } from '../../lake/csv.ts';
import type { Department, Scale, Ward } from './hospital.ts';

export interface GenerateOptions {
  outDir: string;
  seed: number;
  scale: Scale;
  /** Last night of data (normally yesterday). */
  endDate: string;
  days?: number;
  /** Days of charge lines to write, counted back from the end date (default: the scale's). */
  chargeDays?: number;
  regionDir: string;
  onProgress?: (done: number, total: number) => void;
}

export interface Anomaly {
  kind: 'drug_use_jump' | 'duplicate_charges' | 'budget_overspend' | 'ward_over_capacity' | 'late_extract';
  zh: string;
  en: string;
  entity: string;
  from: string;
  to: string;
  detail: Record<string, string | number>;
}

export interface DemoManifest {
  generator: string;
  seed: number;
  scale: Scale;
  startDate: string;
  endDate: string;
  chargeLinesFrom: string;
  rows: Record<string, number>;
  anomalies: Anomaly[];
}

export interface DrgRow { code: string; adrg: string; mdc: string; name: string; weight: number }

const LUNAR_NEW_YEAR = ['2022-02-01', '2023-01-22', '2024-02-10', '2025-01-29', '2026-02-17', '2027-02-06', '2028-01-26', '2029-02-13', '2030-02-03'];
/** Monday-heavy outpatient week, quiet weekend. Index = weekday (0 = Sunday). */
export const OPD_WEEK = [0.45, 1.22, 1.1, 1.04, 1.02, 0.98, 0.6];
export const ADMIT_WEEK = [0.55, 1.3, 1.18, 1.1, 1.05, 1.0, 0.7];
export const BENCHMARK_COST_PER_WEIGHT = 14_000;
/** Share of a bill the insurance fund pays (demo figures; real settlement rules are regional). */
export const FUND_SHARE: Record<'inpatient_cases' | 'outpatient_visits', Record<string, number>> = {
  inpatient_cases: { employee: 0.72, resident: 0.58, self_pay: 0 },
  outpatient_visits: { employee: 0.5, resident: 0.35, self_pay: 0 },
};
export const cents = (yuan: number): number => Math.round(yuan * 100);
export const yuan = (c: number): string => (c / 100).toFixed(2);

/** A region file in the data contract's form, as records by column name. */
async function regionTable(regionDir: string, table: string): Promise<Record<string, string>[]> {
  const [header, ...rows] = [...parseCsv(await readFile(join(regionDir, `${table}.csv`), 'utf8'))].map((r) => r.fields);
  return rows.map((f) => Object.fromEntries(header!.map((h, i) => [h, f[i] ?? ''])));
}

export async function loadDrgGroups(regionDir: string): Promise<DrgRow[]> {
  // The newest year's table (the demo applies it to every year it generates).
  const rows = await regionTable(regionDir, 'drg_groups');
  const newest = Math.max(...rows.map((r) => Number(r.year)));
  return rows.filter((r) => Number(r.year) === newest).map((r) => ({ code: r.drg_code!, adrg: r.adrg_code!, mdc: r.mdc!, name: r.name_zh!, weight: Number(r.weight) }));
}

export async function loadBaseRates(regionDir: string): Promise<{ year: number; insurance: string; rate: string }[]> {
  return (await regionTable(regionDir, 'drg_base_rates')).map((r) => ({ year: Number(r.year), insurance: r.insurance_type!, rate: Number(r.base_rate).toFixed(2) }));
}

export function seasonFactor(date: string, dept: Department): number {
  const month = Number(date.slice(5, 7));
  let f = 1;
  if (/[ES]/.test(dept.mdc) || dept.id === 'D203') f *= month === 12 || month <= 2 ? 1.3 : month >= 6 && month <= 8 ? 0.88 : 1;
  const day = toDayNumber(date);
  for (const lny of LUNAR_NEW_YEAR) {
    const off = day - toDayNumber(lny);
    if (off >= -6 && off <= 9) f *= 0.5 + 0.03 * Math.abs(off - 2);
  }
  if (date.slice(5) >= '10-01' && date.slice(5) <= '10-07') f *= 0.62;
  return f;
}

export interface Line { item: number; qty: number }
export interface InpatientCase {
  id: string; patient: string; admit: number; discharge: number; ward: Ward; dept: Department; group: string;
  drg?: DrgRow; insurance: string; outcome: string; surgeryDay?: number; surgeryLevel?: number;
  days: Line[][];
}

/**
 * When the hospital's systems drop a night's file (hospital time, UTC+8): daily extracts between 01:00 and 03:00 the
 * morning after, one source after another; monthly closing on the 5th of the next month; reference data on its night.
 * Ingest orders deliveries by this time and measures lateness against it.
 */
export function deliveryTime(table: string, night: string): Date {
  const spec = tableSpec(table);
  const order = ['outpatient_visits', 'inpatient_cases', 'charge_lines', 'bed_census', 'surgeries'].indexOf(table);
  if (spec.kind === 'daily') return new Date(`${addDays(night, 1)}T01:${String(10 + order * 10).padStart(2, '0')}:00+08:00`);
  if (spec.kind === 'monthly') return new Date(`${shiftMonths(night, 1).slice(0, 8)}05T04:00:00+08:00`);
  return new Date(`${night}T23:30:00+08:00`);
}

export class Landing {
  private buffers = new Map<string, string[]>();
  /** Files that arrive at another time than `deliveryTime` says (the late-extract anomaly). */
  private readonly arrivals = new Map<string, Date>();
  readonly rows: Record<string, number> = {};
  constructor(private readonly outDir: string) {}

  arriveAt(table: string, dt: string, at: Date): void {
    this.arrivals.set(`${table}\u0000${dt}`, at);
  }

  add(table: string, dt: string, values: readonly (string | number)[]): void {
    const key = `${table}\u0000${dt}`;
    let buf = this.buffers.get(key);
    if (!buf) {
      buf = [tableSpec(table).columns.map((c) => c.name).join(',')];
      this.buffers.set(key, buf);
    }
    // join() yields flat strings; `+=` would build ropes that cost seconds to flatten at write time.
    const parts = new Array<string>(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      parts[i] = typeof v === 'number' ? String(v) : csvField(v);
    }
    buf.push(parts.join(','));
    this.rows[table] = (this.rows[table] ?? 0) + 1;
  }

  /** Writes every buffered file whose night is `dt` (or all, when omitted). */
  flush(dt?: string): void {
    for (const [key, lines] of this.buffers) {
      const [table, night] = key.split('\u0000') as [string, string];
      if (dt !== undefined && night !== dt) continue;
      const dir = join(this.outDir, 'landing', table, `dt=${night}`);
      mkdirSync(dir, { recursive: true });
      lines.push('');
      const file = join(dir, `${table}-${night.replaceAll('-', '')}.csv`);
      writeFileSync(file, lines.join('\n'));
      const at = this.arrivals.get(key) ?? deliveryTime(table, night);
      utimesSync(file, at, at);
      this.buffers.delete(key);
    }
  }
}

export interface MonthTotals { revenue: number; drug: number; material: number; executed: number; discharges: number; visits: number }

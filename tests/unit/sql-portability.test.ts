/** Every KPI .sql file must parse as Trino (Athena v3) and run on DuckDB with the expected result on the tiny lake. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TrinoSQL } from 'dt-sql-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyHospital } from '../support/tiny-hospital.ts';

const SQL_DIR = join(import.meta.dirname, '..', '..', 'functions', 'sql');
const files = readdirSync(SQL_DIR).filter((f) => f.endsWith('.sql'));
const trino = new TrinoSQL();
const asTrino = (sql: string): string => sql.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, '"opsdeck"."$1"');

describe('portable SQL', () => {
  it('finds the SQL files', () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
  });

  it('the Trino grammar refuses DuckDB-only syntax (so the check below can fail)', () => {
    expect(trino.validate('SELECT x::INTEGER FROM t').length).toBeGreaterThan(0);
  });

  for (const file of files) {
    const text = readFileSync(join(SQL_DIR, file), 'utf8');
    it(`${file} parses as Trino`, () => {
      expect(trino.validate(asTrino(text))).toEqual([]);
    });
    it(`${file} keeps the portable-dialect rules`, () => {
      expect(text).not.toMatch(/::|\bQUALIFY\b|\bEXCLUDE\b|date_format|date_parse|AT TIME ZONE|percentile_cont|current_date|now\(\)/i);
      expect(text).toMatch(/\bWHERE\b[\s\S]*\bdt\b/); // partition pruning on Athena
      const params = text.replace(/--.*$/gm, '').match(/\?/g) ?? [];
      expect(params.length).toBeGreaterThan(0); // values arrive as parameters, never spliced in
    });
  }
});

describe('portable SQL on DuckDB over the tiny lake', () => {
  let ctx: Awaited<ReturnType<typeof tinyHospital>>;
  beforeAll(async () => (ctx = await tinyHospital()));
  afterAll(() => ctx.dispose());
  const run = (name: string, params: string[]) => ctx.rt.engine.query(readFileSync(join(SQL_DIR, `${name}.sql`), 'utf8'), { params });

  it('campus_outpatient_daily sums visits and fees per campus and day', async () => {
    const { rows } = await run('campus_outpatient_daily', ['2026-03-31', '2026-03-31']);
    const byCampus = Object.fromEntries(rows.map((r) => [r.campus_id, r]));
    // C01: V1 outpatient (200) and V2 emergency (100); C02: V3 outpatient (100).
    expect(byCampus.C01).toMatchObject({ day: '2026-03-31', outpatient_visits: 1, emergency_visits: 1, revenue: 300, drug_revenue: 130, lab_revenue: 60 });
    expect(byCampus.C02).toMatchObject({ outpatient_visits: 1, emergency_visits: 0, revenue: 100, drug_revenue: 60 });
  });

  it('campus_inpatient_daily and campus_census_daily read their partitions only', async () => {
    const ip = await run('campus_inpatient_daily', ['2026-03-30', '2026-03-31']);
    expect(ip.rows.map((r) => [r.campus_id, r.day, r.discharges, r.los_days, r.revenue]).sort()).toEqual([
      ['C01', '2026-03-31', 1, 6, 4000],
      ['C02', '2026-03-30', 1, 10, 5000],
    ]);
    const census = await run('campus_census_daily', ['2026-02-01', '2026-02-28']);
    expect(census.rows).toEqual([{ campus_id: 'C01', day: '2026-02-27', open_beds: 20, occupied_beds: 16, admissions: 2 }]);
  });

  it('campuses returns the newest reference partition on or before the as-of date', async () => {
    expect((await run('campuses', ['2026-03-31', '2026-03-31'])).rows).toEqual([
      { campus_id: 'C01', name_zh: '本部院区', name_en: 'Main Campus' },
      { campus_id: 'C02', name_zh: '东院区', name_en: 'East Campus' },
    ]);
    expect((await run('campuses', ['2025-01-01', '2025-01-01'])).rows).toEqual([]);
  });

  it('refuses a table outside the data contract', async () => {
    await expect(ctx.rt.engine.query('SELECT * FROM {{pg_shadow}} WHERE dt = ?', { params: ['2026-03-31'] })).rejects.toThrow(/not in the data contract/);
  });
});

/**
 * A region folder is loaded in one step: checked whole first (one problem anywhere and nothing is loaded, each problem
 * naming file, line and field), then delivered and ingested like any reference delivery, its rules becoming the data
 * folder's configuration.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRegion, RegionError } from '../../functions/local/region.ts';
import { openLocalRuntime, REGION_DIR, type LocalRuntime } from '../../functions/local/runtime.ts';

let dir: string;
let rt: LocalRuntime;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'opsdeck-region-'));
  rt = await openLocalRuntime(dir, { persist: false });
});
afterAll(async () => {
  await rt?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('opsdeck region', () => {
  it('refuses a folder with problems, naming each, and loads nothing', async () => {
    const bad = mkdtempSync(join(tmpdir(), 'opsdeck-bad-region-'));
    try {
      cpSync(REGION_DIR, bad, { recursive: true });
      // The shipped files as they once were: Chinese insurance names, a weight with five decimals, a stray file.
      writeFileSync(join(bad, 'drg_base_rates.csv'), 'year,insurance_type,base_rate\n2024,职工,12252.70\n');
      writeFileSync(join(bad, 'drg_groups.csv'), readFileSync(join(REGION_DIR, 'drg_groups.csv'), 'utf8').replace('2024,AA19,AA1,A,心脏移植,18.2858', '2024,AA19,AA1,A,心脏移植,18.28581'));
      writeFileSync(join(bad, 'notes.txt'), 'x');
      const error = await loadRegion(rt, bad).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RegionError);
      const text = (error as Error).message;
      expect(text).toContain('drg_base_rates.csv 第 2 行 line 2, insurance_type');
      expect(text).toContain('drg_groups.csv 第 2 行 line 2, weight');
      expect(text).toContain('notes.txt');
      expect(await rt.store.list('landing/')).toEqual([]);
      expect(await rt.store.get('config/drg-rules.json')).toBeUndefined();
    } finally {
      rmSync(bad, { recursive: true, force: true });
    }
  });

  it('loads the shipped region: 703 groups of 2024 and four base rates, in force from 1 January 2023', async () => {
    const r = await loadRegion(rt, REGION_DIR);
    expect(r.date).toBe('2023-01-01');
    expect(r.tables).toEqual([{ table: 'drg_groups', rows: 703, years: [2024] }, { table: 'drg_base_rates', rows: 4, years: [2023, 2024] }]);
    expect(r.report.totals).toMatchObject({ rowsRead: 707, accepted: 707, rejected: 0 });
    const { rows } = await rt.engine.query('SELECT year, count(*) AS n, sum(weight) AS w FROM {{drg_groups}} GROUP BY year');
    expect(rows.map((x) => [x.year, x.n])).toEqual([[2024, 703]]);
    const rates = await rt.engine.query('SELECT year, insurance_type, base_rate FROM {{drg_base_rates}} ORDER BY year, insurance_type');
    expect(rates.rows).toEqual([
      { year: 2023, insurance_type: 'employee', base_rate: 12165.26 }, { year: 2023, insurance_type: 'resident', base_rate: 12099.85 },
      { year: 2024, insurance_type: 'employee', base_rate: 12252.7 }, { year: 2024, insurance_type: 'resident', base_rate: 9649.24 },
    ]);
    expect(JSON.parse(new TextDecoder().decode(await rt.store.get('config/drg-rules.json')))).toEqual(JSON.parse(readFileSync(join(REGION_DIR, 'drg-rules.json'), 'utf8')));
  });
});

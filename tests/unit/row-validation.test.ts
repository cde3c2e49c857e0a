import { describe, expect, it } from 'vitest';
import { tableSpec } from '../../functions/domain/contract.ts';
import { checkHeader, describeHeaderProblem, compileRowKey, compileRowValidator } from '../../functions/domain/row-validation.ts';

const census = tableSpec('bed_census');
const header = census.columns.map((c) => c.name);

describe('row validation compiled from the contract', () => {
  const validate = compileRowValidator(census, header, '2026-03-31');

  it('accepts a good row and canonicalises dates', () => {
    expect(validate(['2026/3/31', 'W1', 'C01', 'D108', '20', '18', '3', '1'])).toEqual({ ok: true, values: ['2026-03-31', 'W1', 'C01', 'D108', '20', '18', '3', '1'] });
  });

  it('names every bad field with a reason in zh-CN and English', () => {
    const r = validate(['2026-03-31', '', 'C01', 'D108', '-2', 'x', '3', '1']);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.field)).toEqual(['ward_id', 'open_beds', 'occupied_beds']);
    expect(r.problems[0]!.zh).toContain('必填');
    expect(r.problems[1]!.en).toBe('field open_beds (Open beds) must be at least 0, got -2');
    expect(r.problems[2]!.en).toBe('field occupied_beds (Occupied beds (midnight census)) must be a whole number, got "x"');
  });

  it('rejects a row dated outside its night, and impossible dates', () => {
    const r = validate(['2026-03-30', 'W1', 'C01', 'D108', '20', '18', '3', '1']);
    expect(r.ok === false && r.problems[0]!.en).toMatch(/outside this delivery's night 2026-03-31/);
    const leap = validate(['2026-02-29', 'W1', 'C01', 'D108', '20', '18', '3', '1']);
    expect(leap.ok === false && leap.problems[0]!.field).toBe('census_date');
  });

  it('rejects a row with the wrong number of fields', () => {
    const r = validate(['2026-03-31', 'W1']);
    expect(r.ok === false && r.problems[0]!.en).toBe('expected 8 fields, got 2');
  });

  it('checks that fee categories add up to the total, to the cent', () => {
    const visits = tableSpec('outpatient_visits');
    const v = compileRowValidator(visits, visits.columns.map((c) => c.name), '2026-03-31');
    const row = (total: string) => ['V1', '2026-03-31', 'outpatient', 'C01', 'D1', 'E1', 'P1', 'employee', '0.10', '0.20', '0', '0', '0', '0', '0', '0', total, '0'];
    expect(v(row('0.30')).ok).toBe(true); // 0.1 + 0.2 in cents, not in floating point
    expect(v(row('0.31')).ok).toBe(false);
  });

  it('reports missing and unexpected header columns', () => {
    expect(checkHeader(census, [...header.slice(1), 'bed_count'])).toEqual({ missing: ['census_date'], unexpected: ['bed_count'], duplicate: [], empty: [] });
    expect(checkHeader(census, [...header].reverse())).toBeUndefined();
    // A million unexpected columns make a message of a few hundred characters, not a 17 MB report.
    const hostile = describeHeaderProblem('bed_census', checkHeader(census, [...header, ...Array.from({ length: 1_000_000 }, (_, k) => `c${k}`)])!);
    expect(hostile.en).toContain('and 999980 more');
    expect(hostile.en.length + hostile.zh.length).toBeLessThan(1000);
    // A repeated column and a trailing comma are named.
    expect(checkHeader(census, [...header, 'open_beds', ''])).toEqual({ missing: [], unexpected: [], duplicate: ['open_beds'], empty: [header.length + 2] });
  });

  it('keys rows by the contract key', () => {
    const key = compileRowKey(census);
    expect(key(['2026-03-31', 'W1', 'C01', 'D108', '20', '18', '3', '1'])).toBe(key(['2026-03-31', 'W1', 'C09', 'D1', '1', '1', '1', '1']));
    expect(key(['2026-03-31', 'W1'])).not.toBe(key(['2026-03-31', 'W2']));
  });
});

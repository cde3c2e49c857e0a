import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TABLES } from '../../functions/domain/contract.ts';
import { renderContractDocs } from '../../functions/domain/contract-docs.ts';

describe('data contract v1', () => {
  it('covers every subject of DOMAIN.md §2', () => {
    const names = TABLES.map((t) => t.name);
    for (const required of ['campuses', 'departments', 'wards', 'doctor_groups', 'drg_groups', 'drg_base_rates', 'drg_benchmarks',
      'outpatient_visits', 'inpatient_cases', 'charge_lines', 'bed_census', 'department_costs', 'budget_plan', 'budget_actuals', 'department_resources']) {
      expect(names).toContain(required);
    }
  });

  it.each(TABLES.map((t) => [t.name, t] as const))('%s: keys, date column and fee sums name real columns', (_, t) => {
    const cols = new Set(t.columns.map((c) => c.name));
    expect(cols.size).toBe(t.columns.length);
    for (const k of t.key) expect(cols.has(k) && t.columns.find((c) => c.name === k)!.required).toBe(true);
    if (t.kind !== 'reference') expect(t.dateColumn && cols.has(t.dateColumn)).toBeTruthy();
    for (const p of [...(t.feeSum?.parts ?? []), ...(t.feeSum ? [t.feeSum.total] : [])]) expect(cols.has(p)).toBe(true);
    for (const c of t.columns) if (c.type === 'money') expect(c.unit === 'CNY' || c.unit === 'CNY/weight').toBe(true);
    expect(cols.has('dt')).toBe(false); // the partition column comes from the path
  });

  it('docs/data-contract.md is in sync with the contract (run `npm run docs` after changing it)', () => {
    const onDisk = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'data-contract.md'), 'utf8');
    expect(onDisk).toBe(renderContractDocs() + '\n');
  });
});

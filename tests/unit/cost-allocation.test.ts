/**
 * Step-down allocation on six hand-made departments, every figure worked out by hand:
 * A1 administrative 1,000.00; X1 auxiliary 500.00; T1 technical 300.00; C1 400.00, C2 600.00 and C3 100.00 clinical.
 * Drivers: headcount X1 10, T1 20, C1 30, C2 40, C3 0; floor area T1 50, C1 25, C2 25, C3 0; revenue C1 1, C2 2, C3 0.
 */
import { describe, expect, it } from 'vitest';
import { AllocationError, splitCents, stepDown, type CostDepartment } from '../../functions/domain/cost-allocation.ts';

const d = (id: string, cls: CostDepartment['cls'], yuan: number, headcount: number, floor_area: number, revenue: number): CostDepartment =>
  ({ id, cls, directCents: Math.round(yuan * 100), drivers: { headcount, floor_area, workload: 0, revenue } });

const HOSPITAL = [
  d('A1', 'administrative', 1000, 5, 10, 0), d('X1', 'medical_auxiliary', 500, 10, 0, 0), d('T1', 'medical_technical', 300, 20, 50, 0),
  d('C1', 'clinical', 400, 30, 25, 1), d('C2', 'clinical', 600, 40, 25, 2), d('C3', 'clinical', 100, 0, 0, 0),
];
const DRIVERS = { administrative: 'headcount', medical_auxiliary: 'floor_area', medical_technical: 'revenue' } as const;

describe('four-class, three-level step-down', () => {
  const rows = Object.fromEntries(stepDown(HOSPITAL, DRIVERS).map((r) => [r.id, r]));

  it('level 1: administration by headcount to every other class (A1 1,000.00 over 100 heads)', () => {
    expect([rows.X1!.fromAdministrative, rows.T1!.fromAdministrative, rows.C1!.fromAdministrative, rows.C2!.fromAdministrative, rows.C3!.fromAdministrative])
      .toEqual([10000, 20000, 30000, 40000, 0]);
  });

  it('level 2: auxiliary 500.00 + 100.00 received, by floor area, to technical and clinical', () => {
    expect(rows.X1!.passedOnCents).toBe(60000);
    expect([rows.T1!.fromAuxiliary, rows.C1!.fromAuxiliary, rows.C2!.fromAuxiliary, rows.C3!.fromAuxiliary]).toEqual([30000, 15000, 15000, 0]);
  });

  it('level 3: technical 300.00 + 200.00 + 300.00 by revenue 1 : 2, the odd cent to the larger remainder', () => {
    // 80,000 cents × 1/3 = 26,666.67 and × 2/3 = 53,333.33: floors 26,666 + 53,333 leave one cent, which goes to C1 (.67 > .33).
    expect(rows.T1!.passedOnCents).toBe(80000);
    expect([rows.C1!.fromTechnical, rows.C2!.fromTechnical, rows.C3!.fromTechnical]).toEqual([26667, 53333, 0]);
  });

  it('gives clinical full costs that reconcile with the direct costs to the cent; a zero-driver department keeps its own cost', () => {
    expect([rows.C1!.fullCents, rows.C2!.fullCents, rows.C3!.fullCents]).toEqual([111667, 168333, 10000]); // 1,116.67, 1,683.33, 100.00
    expect(rows.C1!.fullCents + rows.C2!.fullCents + rows.C3!.fullCents).toBe(290000); // 2,900.00 of direct cost
    expect([rows.A1!.fullCents, rows.X1!.fullCents, rows.T1!.fullCents]).toEqual([0, 0, 0]);
  });

  it('refuses a level whose receivers have no driver at all, naming the class and the driver', () => {
    const noRevenue = HOSPITAL.map((x) => ({ ...x, drivers: { ...x.drivers, revenue: 0 } }));
    expect(() => stepDown(noRevenue, DRIVERS)).toThrow(AllocationError);
    expect(() => stepDown(noRevenue, DRIVERS)).toThrow(/medical-technical pool of 800.00 CNY cannot be allocated by revenue/);
  });

  it('splits any amount exactly, whatever the weights', () => {
    const s = splitCents(100, [{ id: 'a', weight: 1 }, { id: 'b', weight: 1 }, { id: 'c', weight: 1 }]);
    expect([...s.values()]).toEqual([34, 33, 33]); // ties: by id
    expect([...splitCents(1, [{ id: 'a', weight: 0 }, { id: 'b', weight: 3 }]).values()]).toEqual([0, 1]);
    expect([...splitCents(0, [{ id: 'a', weight: 0 }]).values()]).toEqual([0]);
    // Seeded random weights and amounts: the shares always add up exactly.
    let seed = 7;
    const rnd = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    for (let i = 0; i < 200; i++) {
      const cents = Math.floor(rnd() * 1e9);
      const weights = Array.from({ length: 1 + Math.floor(rnd() * 40) }, (_, k) => ({ id: `d${k}`, weight: rnd() < 0.2 ? 0 : rnd() * 1000 }));
      if (!weights.some((w) => w.weight > 0)) continue;
      const shares = splitCents(cents, weights);
      expect([...shares.values()].reduce((a, b) => a + b, 0)).toBe(cents);
      for (const w of weights) if (w.weight === 0) expect(shares.get(w.id)).toBe(0);
    }
  });
});

/**
 * Four-class, three-level step-down cost allocation (DOMAIN.md §6, the 2021 public-hospital costing standard):
 *   1. administrative-logistics → medical-auxiliary, medical-technical and clinical;
 *   2. medical-auxiliary (direct + received) → medical-technical and clinical;
 *   3. medical-technical (direct + received) → clinical.
 * Each level's pool is shared by a configurable driver (headcount, floor area, workload, revenue). Amounts are integer
 * cents and each split uses largest remainders, so the clinical full costs add up to the direct costs exactly.
 */

export const COST_CLASSES = ['administrative', 'medical_auxiliary', 'medical_technical', 'clinical'] as const;
export type CostClass = (typeof COST_CLASSES)[number];
export const COST_DRIVERS = ['headcount', 'floor_area', 'workload', 'revenue'] as const;
export type CostDriver = (typeof COST_DRIVERS)[number];

export interface CostDepartment {
  id: string;
  cls: CostClass;
  /** Direct cost in cents (the seven cost elements added up). */
  directCents: number;
  drivers: Record<CostDriver, number>;
}

/** The driver each level allocates by. */
export interface AllocationDrivers {
  administrative: CostDriver;
  medical_auxiliary: CostDriver;
  medical_technical: CostDriver;
}

export const DEFAULT_DRIVERS: AllocationDrivers = { administrative: 'headcount', medical_auxiliary: 'workload', medical_technical: 'revenue' };

export interface AllocatedDepartment {
  id: string;
  cls: CostClass;
  directCents: number;
  /** Received at each level, in cents. */
  fromAdministrative: number;
  fromAuxiliary: number;
  fromTechnical: number;
  /** What the department passes on (its direct cost plus what it received), for the three allocating classes. */
  passedOnCents: number;
  /** Clinical departments: direct + everything received. Others: 0 once their cost has been passed on. */
  fullCents: number;
}

export class AllocationError extends Error {}

/**
 * Splits `cents` in proportion to `weights`: each share is floored, and the cents left over go to the largest
 * remainders (ties by id), so the shares add up to `cents` exactly. A zero weight receives nothing.
 */
export function splitCents(cents: number, weights: readonly { id: string; weight: number }[]): Map<string, number> {
  if (!Number.isInteger(cents)) throw new AllocationError(`amount must be whole cents, got ${cents}`);
  const total = weights.reduce((s, w) => s + w.weight, 0);
  const out = new Map(weights.map((w) => [w.id, 0]));
  if (cents === 0) return out;
  if (!(total > 0)) throw new AllocationError('no receiver has a positive driver');
  const exact = weights.map((w) => ({ id: w.id, value: (cents * w.weight) / total }));
  let left = cents;
  for (const e of exact) {
    const floor = Math.floor(e.value);
    out.set(e.id, floor);
    left -= floor;
  }
  const byRemainder = exact.filter((e) => weights.find((w) => w.id === e.id)!.weight > 0)
    .sort((a, b) => (b.value - Math.floor(b.value)) - (a.value - Math.floor(a.value)) || (a.id < b.id ? -1 : 1));
  for (let i = 0; left > 0; i = (i + 1) % byRemainder.length, left--) out.set(byRemainder[i]!.id, out.get(byRemainder[i]!.id)! + 1);
  return out;
}

const LEVELS: { from: keyof AllocationDrivers; to: readonly CostClass[]; field: 'fromAdministrative' | 'fromAuxiliary' | 'fromTechnical'; zh: string; en: string }[] = [
  { from: 'administrative', to: ['medical_auxiliary', 'medical_technical', 'clinical'], field: 'fromAdministrative', zh: '行政后勤类', en: 'administrative-logistics' },
  { from: 'medical_auxiliary', to: ['medical_technical', 'clinical'], field: 'fromAuxiliary', zh: '医疗辅助类', en: 'medical-auxiliary' },
  { from: 'medical_technical', to: ['clinical'], field: 'fromTechnical', zh: '医疗技术类', en: 'medical-technical' },
];

/** Runs the three levels and returns every department's trail; the clinical full costs reconcile to the direct total. */
export function stepDown(departments: readonly CostDepartment[], drivers: AllocationDrivers = DEFAULT_DRIVERS): AllocatedDepartment[] {
  const rows = new Map<string, AllocatedDepartment>(departments.map((d) => [d.id, {
    id: d.id, cls: d.cls, directCents: d.directCents, fromAdministrative: 0, fromAuxiliary: 0, fromTechnical: 0, passedOnCents: 0, fullCents: 0,
  }]));
  for (const level of LEVELS) {
    const driver = drivers[level.from];
    const pool = departments.filter((d) => d.cls === level.from).reduce((s, d) => {
      const r = rows.get(d.id)!;
      r.passedOnCents = r.directCents + r.fromAdministrative + r.fromAuxiliary + r.fromTechnical;
      return s + r.passedOnCents;
    }, 0);
    const receivers = departments.filter((d) => level.to.includes(d.cls)).map((d) => ({ id: d.id, weight: d.drivers[driver] }));
    let shares: Map<string, number>;
    try {
      shares = splitCents(pool, receivers);
    } catch (e) {
      throw new AllocationError(`${level.zh}成本 ${(pool / 100).toFixed(2)} 元无法按「${driver}」分摊：接收科室的该动因合计为 0 / the ${level.en} pool of ${(pool / 100).toFixed(2)} CNY cannot be allocated by ${driver}: the receiving departments' ${driver} adds up to 0 (${(e as Error).message})`);
    }
    for (const [id, cents] of shares) rows.get(id)![level.field] += cents;
  }
  for (const r of rows.values()) r.fullCents = r.cls === 'clinical' ? r.directCents + r.fromAdministrative + r.fromAuxiliary + r.fromTechnical : 0;
  const direct = departments.reduce((s, d) => s + d.directCents, 0);
  const full = [...rows.values()].reduce((s, r) => s + r.fullCents, 0);
  if (full !== direct) throw new AllocationError(`内部错误：分摊后合计 ${full} 分 ≠ 直接成本 ${direct} 分 / internal error: allocated total ${full} ≠ direct total ${direct} cents`);
  return [...rows.values()];
}

/**
 * Budget execution (DOMAIN.md §5): per department and item, the year-to-date actual against the year's plan (the
 * adjusted version where there is one), time progress, deviation in percentage points, a year-end forecast (run-rate
 * shaped by last year's monthly profile, a straight line without one) and the month the item is forecast to reach 100%.
 * Shared by the alert rules and the budget screens.
 */

/** Names of the usual budget items; a hospital's own codes show as they are. */
export const BUDGET_ITEM_NAMES: Record<string, { zh: string; en: string }> = {
  medical_revenue: { zh: '医疗收入', en: 'Medical revenue' },
  personnel: { zh: '人员经费', en: 'Personnel' },
  health_materials: { zh: '卫生材料费', en: 'Health materials' },
  drugs: { zh: '药品费', en: 'Drugs' },
  operating: { zh: '运行费用', en: 'Operating costs' },
  utilities: { zh: '水电气能耗', en: 'Utilities and energy' },
  equipment: { zh: '设备购置', en: 'Equipment purchase' },
  maintenance: { zh: '维修维护', en: 'Repairs and maintenance' },
};
export const budgetItemName = (item: string): { zh: string; en: string } => BUDGET_ITEM_NAMES[item] ?? { zh: item, en: item };

export interface BudgetMonth {
  departmentId: string;
  item: string;
  itemType: 'revenue' | 'expense';
  /** YYYY-MM. */
  month: string;
  /** The plan in force for the month (adjusted where adjusted), or null if none. */
  plan: number | null;
  actual: number | null;
  /** The original (start-of-year) plan, where the month was adjusted; absent or null when `plan` is the original. */
  original?: number | null;
  /** The adjustment's note (why the budget was changed). */
  note?: string;
}

/** One month's budget change: the adjustment trail of a line. */
export interface BudgetAdjustment {
  month: string;
  original: number;
  adjusted: number;
  note: string;
}

export interface BudgetLine {
  departmentId: string;
  item: string;
  itemType: 'revenue' | 'expense';
  /** The year's plan in force (adjusted where adjusted). */
  annual: number;
  /** The year's plan as first approved. */
  originalAnnual: number;
  adjustments: BudgetAdjustment[];
  /** The year's months: plan in force and the closed actual (null while the month is open). */
  months: { month: string; plan: number | null; actual: number | null }[];
  planMonths: number;
  ytd: number;
  /** Months of the year with actuals (the hospital's monthly closing). */
  monthsDone: number;
  lastYearYtd: number;
  lastYearAnnual: number;
  /** ytd ÷ annual. */
  execution: number;
  /** monthsDone ÷ 12. */
  timeProgress: number;
  deviationPp: number;
  forecast: number;
  /** First month (YYYY-MM) at which actual plus forecast reaches the annual budget; null if not within the year. */
  reaches100: string | null;
}

/** Lines of `year` with a whole year planned and at least one month of actuals. */
export function budgetLines(rows: readonly BudgetMonth[], year: string): BudgetLine[] {
  const prevYear = String(Number(year) - 1);
  const done = new Set(rows.filter((b) => b.month.startsWith(year) && b.actual !== null).map((b) => b.month));
  const monthsDone = done.size;
  const lines = new Map<string, BudgetLine & { lastYearByMonth: Map<string, number> }>();
  for (const b of rows) {
    const key = `${b.departmentId}|${b.item}`;
    let l = lines.get(key);
    if (!l) {
      lines.set(key, (l = {
        departmentId: b.departmentId, item: b.item, itemType: b.itemType, annual: 0, originalAnnual: 0, adjustments: [], months: [], planMonths: 0, ytd: 0, monthsDone, lastYearYtd: 0, lastYearAnnual: 0,
        execution: 0, timeProgress: monthsDone / 12, deviationPp: 0, forecast: 0, reaches100: null, lastYearByMonth: new Map(),
      }));
    }
    if (b.month.startsWith(year)) {
      l.annual += b.plan ?? 0;
      const original = b.original ?? b.plan;
      l.originalAnnual += original ?? 0;
      if (original !== null && b.plan !== null && original !== b.plan) l.adjustments.push({ month: b.month, original, adjusted: b.plan, note: b.note ?? '' });
      if (b.plan !== null) l.planMonths++;
      if (done.has(b.month)) l.ytd += b.actual ?? 0;
      l.months.push({ month: b.month, plan: b.plan, actual: done.has(b.month) ? b.actual : null });
    } else if (b.month.startsWith(prevYear)) {
      l.lastYearAnnual += b.actual ?? 0;
      l.lastYearByMonth.set(b.month.slice(5), b.actual ?? 0);
      if (done.has(`${year}${b.month.slice(4)}`)) l.lastYearYtd += b.actual ?? 0;
    }
  }
  const closedActual = new Map(rows.filter((r) => r.actual !== null && done.has(r.month)).map((r) => [`${r.departmentId}|${r.item}|${r.month}`, r.actual!]));
  const out: BudgetLine[] = [];
  for (const { lastYearByMonth, ...l } of lines.values()) {
    if (!(l.annual > 0) || l.monthsDone === 0 || l.planMonths !== 12) continue;
    l.months.sort((a, b) => (a.month < b.month ? -1 : 1));
    l.adjustments.sort((a, b) => (a.month < b.month ? -1 : 1));
    const shaped = l.lastYearYtd > 0 && l.lastYearAnnual > 0;
    const scale = shaped ? l.ytd / l.lastYearYtd : l.ytd / l.monthsDone;
    l.execution = l.ytd / l.annual;
    l.deviationPp = (l.execution - l.timeProgress) * 100;
    l.forecast = shaped ? l.ytd * (l.lastYearAnnual / l.lastYearYtd) : l.ytd * (12 / l.monthsDone);
    // Walk the months: actuals where closed, the forecast month (last year's month × the run-rate) where not.
    let cumulative = 0;
    for (let m = 1; m <= 12 && l.reaches100 === null; m++) {
      const mm = String(m).padStart(2, '0');
      const month = `${year}-${mm}`;
      const closed = closedActual.get(`${l.departmentId}|${l.item}|${month}`);
      cumulative += closed !== undefined ? closed : shaped ? (lastYearByMonth.get(mm) ?? 0) * scale : scale;
      if (cumulative - l.annual > -1e-6) l.reaches100 = month;
    }
    out.push(l);
  }
  return out;
}

/**
 * The budget year a night reports on: the year of the newest month with actuals on or before the night's month
 * (in January, before December has closed, that is still last year), or the night's own year when nothing has closed.
 */
export function budgetYear(rows: readonly BudgetMonth[], asOf: string): string {
  const current = asOf.slice(0, 7);
  let newest = '';
  for (const r of rows) if (r.actual !== null && r.month <= current && r.month > newest) newest = r.month;
  return newest ? newest.slice(0, 4) : asOf.slice(0, 4);
}

export type BudgetStatus = 'ok' | 'warn' | 'critical';

export interface BudgetThresholds {
  /** Expense items: execution ahead of time progress by more than this many points warns… */
  expenseWarnPp: number;
  /** …and by more than this (or above 100%) is critical. */
  expenseCriticalPp: number;
  /** Revenue items: behind time progress by more than this many points warns. */
  revenueWarnPp: number;
}

export const DEFAULT_BUDGET_THRESHOLDS: BudgetThresholds = { expenseWarnPp: 10, expenseCriticalPp: 20, revenueWarnPp: 10 };

/** Expense read one way (ahead is bad), revenue the other (behind is bad). */
export function budgetStatus(l: Pick<BudgetLine, 'itemType' | 'deviationPp' | 'execution'>, t: BudgetThresholds = DEFAULT_BUDGET_THRESHOLDS): BudgetStatus {
  const EPS = 1e-9;
  if (l.itemType === 'expense') {
    if (l.deviationPp > t.expenseCriticalPp + EPS || l.execution > 1 + EPS) return 'critical';
    return l.deviationPp > t.expenseWarnPp + EPS ? 'warn' : 'ok';
  }
  return l.deviationPp < -t.revenueWarnPp - EPS ? 'warn' : 'ok';
}

/** How far a line runs in its bad direction, in points (positive = adverse): expense ahead, revenue behind. */
export const adversePp = (l: Pick<BudgetLine, 'itemType' | 'deviationPp'>): number => (l.itemType === 'expense' ? l.deviationPp : -l.deviationPp);

/** One delivered budget plan row: a month's amount for a department's item, in its original or adjusted version. */
export interface BudgetPlanRow {
  departmentId: string;
  item: string;
  itemType: 'revenue' | 'expense';
  month: string;
  version: 'original' | 'adjusted';
  amount: number;
  note?: string;
}

/**
 * The plan in force per (department, item, month): the adjusted version where there is one, else the original; the
 * original is kept beside an adjusted plan (the adjustment trail), with the adjustment's note. The one place this rule
 * is written: the budget screens, the alert rules and the explorer's "against budget" all read the plan through it.
 */
export function plansInForce(rows: Iterable<BudgetPlanRow>): BudgetMonth[] {
  const byKey = new Map<string, BudgetMonth & { originalSeen: number | null; adjusted: boolean }>();
  for (const r of rows) {
    const key = `${r.departmentId}|${r.item}|${r.month}`;
    let b = byKey.get(key);
    if (!b) byKey.set(key, (b = { departmentId: r.departmentId, item: r.item, itemType: r.itemType, month: r.month, plan: null, actual: null, originalSeen: null, adjusted: false }));
    if (r.version === 'adjusted') {
      b.plan = r.amount;
      b.adjusted = true;
      b.note = r.note ?? '';
    } else {
      b.originalSeen = r.amount;
      if (!b.adjusted) b.plan = r.amount;
    }
  }
  return [...byKey.values()].map(({ originalSeen, adjusted, ...b }) => (adjusted ? { ...b, original: originalSeen } : b));
}

/**
 * Budget execution (DOMAIN.md §5): per department and item, the year-to-date actual against the year's plan (the
 * adjusted version where there is one), time progress, deviation in percentage points, a year-end forecast (run-rate
 * shaped by last year's monthly profile, a straight line without one) and the month the item is forecast to reach 100%.
 * Shared by the alert rules and the budget screens.
 */

export interface BudgetMonth {
  departmentId: string;
  item: string;
  itemType: 'revenue' | 'expense';
  /** YYYY-MM. */
  month: string;
  /** The plan in force for the month (adjusted where adjusted), or null if none. */
  plan: number | null;
  actual: number | null;
}

export interface BudgetLine {
  departmentId: string;
  item: string;
  itemType: 'revenue' | 'expense';
  annual: number;
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
        departmentId: b.departmentId, item: b.item, itemType: b.itemType, annual: 0, planMonths: 0, ytd: 0, monthsDone, lastYearYtd: 0, lastYearAnnual: 0,
        execution: 0, timeProgress: monthsDone / 12, deviationPp: 0, forecast: 0, reaches100: null, lastYearByMonth: new Map(),
      }));
    }
    if (b.month.startsWith(year)) {
      l.annual += b.plan ?? 0;
      if (b.plan !== null) l.planMonths++;
      if (done.has(b.month)) l.ytd += b.actual ?? 0;
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

/** The budget plan rows of the lake as the domain's BudgetPlanRow (read by the nightly finance screens and the explorer). */
import type { BudgetPlanRow } from '../domain/budget.ts';
import type { QueryEngine } from '../ports.ts';
import { sqlText } from '../sql/index.ts';
import { str } from './values.ts';


/** Plan rows (original and adjusted) of the months whose partitions fall in [from, to]. */
export async function readBudgetPlans(engine: QueryEngine, from: string, to: string, options: { maxRows?: number; timeoutMs?: number } = {}): Promise<BudgetPlanRow[]> {
  const res = await engine.query(sqlText('budget_months'), { params: [from, to], ...options });
  return res.rows.map((r) => ({
    departmentId: str(r.department_id), item: str(r.budget_item), itemType: str(r.item_type) === 'revenue' ? 'revenue' : 'expense', month: str(r.month),
    version: str(r.version) === 'adjusted' ? 'adjusted' : 'original', amount: Number(r.amount ?? 0), note: str(r.adjustment_note),
  }));
}

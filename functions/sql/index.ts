/** Loads the portable SQL files by name (the allow-list of statements the pipeline and API may run). */
import { readFileSync } from 'node:fs';

const cache = new Map<string, string>();

export type SqlName =
  | 'campus_outpatient_daily' | 'campus_inpatient_daily' | 'campus_census_daily' | 'campus_surgery_daily' | 'campuses'
  | 'departments' | 'doctor_groups' | 'drg_cases' | 'drg_cases_department' | 'drg_groups' | 'drg_base_rates' | 'drg_benchmarks'
  | 'charge_excess' | 'item_use_daily' | 'charge_lines_first_day' | 'ward_census_daily' | 'budget_months' | 'budget_actual_months' | 'wards' | 'charge_items'
  | 'explore_outpatient' | 'explore_inpatient' | 'explore_census' | 'explore_surgery' | 'explore_cost' | 'doctors'
  | 'explore_charges' | 'explore_charge_lines' | 'explore_outpatient_rows' | 'explore_inpatient_rows' | 'explore_census_rows' | 'explore_surgery_rows' | 'explore_cost_rows'
  | 'department_outpatient_months' | 'department_inpatient_months' | 'department_census_months' | 'department_surgery_months' | 'department_costs' | 'department_resources';

export function sqlText(name: SqlName): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(new URL(`./${name}.sql`, import.meta.url), 'utf8');
    cache.set(name, text);
  }
  return text;
}

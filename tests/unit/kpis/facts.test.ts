/** Each fact's measure columns and dimension expressions exist in its explore_<fact>.sql: the allow-list matches the SQL. */
import { describe, expect, it } from 'vitest';
import { EXPLORE_FACTS, FACT_COLUMNS, FACT_MEASURES, MONTHLY_FACTS } from '../../../functions/domain/kpis/facts.ts';
import { sqlText } from '../../../functions/sql/index.ts';

describe('facts', () => {
  it('reads every measure from a column its SQL selects', () => {
    for (const fact of EXPLORE_FACTS) {
      const sql = sqlText(`explore_${fact}`);
      for (const [measure, column] of Object.entries(FACT_MEASURES[fact])) expect(sql, `${fact}.${measure}`).toMatch(new RegExp(`AS ${column}\\b`));
    }
  });
  it('groups and filters by expressions over the fact\'s own columns, or by its constants', () => {
    for (const fact of EXPLORE_FACTS) {
      for (const [dim, expr] of Object.entries(FACT_COLUMNS[fact])) {
        if (expr === null || expr === undefined) continue;
        expect(expr, `${fact}.${dim}`).toMatch(/^('[a-z]+'|[a-z_]+|substr\(dt, 1, 7\)|CAST\([a-z_]+ AS VARCHAR\))$/);
      }
    }
    expect([...MONTHLY_FACTS]).toEqual(['cost']);
    expect(FACT_COLUMNS.cost.day).toBeUndefined();
  });
});

/** Budget rules: expense ahead of and revenue behind time progress, and year-end overruns forecast. */
import type { AlertFinding, AlertRule, AlertSeverity } from '../alerts.ts';
import { budgetItemName, budgetLines as sharedBudgetLines, type BudgetLine } from '../budget.ts';
import { type AlertInputs, type RuleResult, type Evaluator, pct, above, below, name, finding } from './common.ts';
import { budgetCache } from './drg.ts';

function budgetLines(inp: AlertInputs): BudgetLine[] {
  let lines = budgetCache.get(inp);
  if (!lines) budgetCache.set(inp, (lines = sharedBudgetLines(inp.budget, inp.asOf.slice(0, 4))));
  return lines;
}

/** Why the budget rules looked at nothing, when they did not. */
function budgetSkipped(inp: AlertInputs): RuleResult['skipped'] {
  if (budgetLines(inp).length > 0) return undefined;
  return { zh: `${inp.asOf.slice(0, 4)} 年没有完整 12 个月的预算或尚无实际数`, en: `no item has a twelve-month plan and actuals for ${inp.asOf.slice(0, 4)}` };
}

function budgetFinding(inp: AlertInputs, rule: AlertRule, l: BudgetLine, severity: AlertSeverity, zh: string, en: string, evidence: AlertFinding['evidence']): AlertFinding {
  const dept = name(inp.departments, l.departmentId);
  const item = budgetItemName(l.item);
  return finding(rule, {
    entity: `${l.departmentId}/${l.item}`, entityZh: `${dept.zh} · ${item.zh}`, entityEn: `${dept.en}: ${item.en}`, departmentId: l.departmentId, period: inp.asOf.slice(0, 4),
    severity, zh: `${dept.zh}「${item.zh}」${zh}`, en: `${dept.en}, ${item.en}: ${en}`, evidence,
    link: `/analyst/budget?department=${l.departmentId}&line=${encodeURIComponent(`${l.departmentId}|${l.item}`)}`,
  });
}

export const budgetDeviation = (kind: 'expense' | 'revenue'): Evaluator => (inp, rule) => {
  const year = inp.asOf.slice(0, 4);
  const findings: AlertFinding[] = [];
  for (const l of budgetLines(inp).filter((x) => x.itemType === kind)) {
    const { execution, timeProgress: progress, deviationPp: pp } = l;
    const evidence = { execution, timeProgress: progress, deviationPp: pp, ytdActual: l.ytd, annualBudget: l.annual };
    const text = (zh: string, en: string) => [`执行率 ${pct(execution)}，时间进度 ${pct(progress)}，${zh} ${Math.abs(pp).toFixed(1)} 个百分点`, `execution ${pct(execution)} against time progress ${pct(progress)}, ${Math.abs(pp).toFixed(1)} pp ${en}`] as const;
    if (kind === 'expense') {
      const critical = above(pp, rule.params.criticalPp!) || above(execution, 1);
      if (!critical && !above(pp, rule.params.warnPp!)) continue;
      const [zh, en] = text('超前', 'ahead');
      findings.push(budgetFinding(inp, rule, l, critical ? 'P1' : rule.severity, zh, en, evidence));
    } else {
      if (!below(pp, rule.params.warnPp!)) continue;
      const [zh, en] = text('落后', 'behind');
      findings.push(budgetFinding(inp, rule, l, rule.severity, zh, en, evidence));
    }
  }
  const skipped = budgetSkipped(inp);
  return { findings, covers: (p) => p === year, ...(skipped ? { skipped } : {}) };
};

export const forecastOverrun: Evaluator = (inp, rule) => {
  const year = inp.asOf.slice(0, 4);
  const findings: AlertFinding[] = [];
  for (const l of budgetLines(inp).filter((x) => x.itemType === 'expense')) {
    const forecast = l.forecast;
    const over = forecast / l.annual - 1;
    if (!above(over, rule.params.margin!)) continue;
    findings.push(budgetFinding(inp, rule, l, rule.severity, `预计全年 ${(forecast / 1e4).toFixed(1)} 万元，超出预算 ${(l.annual / 1e4).toFixed(1)} 万元的 ${pct(over)}`,
      `forecast for the year ${(forecast / 1e4).toFixed(1)}×10K CNY, ${pct(over)} over the budget of ${(l.annual / 1e4).toFixed(1)}×10K CNY`,
      { forecast, annualBudget: l.annual, overrun: over, ytdActual: l.ytd, monthsDone: l.monthsDone, reaches100: l.reaches100 ?? '' }));
  }
  const skipped = budgetSkipped(inp);
  return { findings, covers: (p) => p === year, ...(skipped ? { skipped } : {}) };
};

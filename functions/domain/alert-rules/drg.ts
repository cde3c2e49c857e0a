/** DRG rules: outlier cases, groups losing money, efficiency, deaths in low-risk groups, the grouping rate, stays against benchmark. */
import { addDays, shiftMonths } from '../calendar.ts';
import type { AlertFinding } from '../alerts.ts';
import { groupCases, summarise, type EnrichedCase } from '../drg.ts';
import type { BudgetLine } from '../budget.ts';
import { type AlertInputs, type Evaluator, pct, above, below, name, lastCompleteMonth, inMonth, finding } from './common.ts';

export const drgOutliers: Evaluator = (inp, rule) => {
  const month = inp.asOf.slice(0, 7);
  const findings: AlertFinding[] = [];
  for (const [deptId, list] of groupCases(inp.cases.filter(inMonth(month)), (c) => c.departmentId)) {
    const m = summarise(list);
    const dept = name(inp.departments, deptId);
    const lowShare = m.grouped ? m.lowOutliers / m.grouped : 0;
    const high = m.highOutliers >= rule.params.highMin!;
    const low = m.grouped >= rule.params.minCases! && above(lowShare, rule.params.lowShare!);
    if (!high && !low) continue;
    findings.push(finding(rule, {
      entity: deptId, entityZh: dept.zh, entityEn: dept.en, departmentId: deptId, period: month,
      zh: `${dept.zh} 本月高倍率病例 ${m.highOutliers} 例、低倍率 ${m.lowOutliers} 例（占入组 ${pct(lowShare)}）`,
      en: `${dept.en}: ${m.highOutliers} high-multiple and ${m.lowOutliers} low-multiple cases this month (${pct(lowShare)} of grouped)`,
      evidence: { high: m.highOutliers, low: m.lowOutliers, grouped: m.grouped, lowShare },
      link: `/analyst/drg?level=case&department=${deptId}&from=${month}-01&to=${inp.asOf}&outlier=${high ? 'high' : 'low'}`,
    }));
  }
  return { findings, covers: (p) => p === month };
};

export const groupLosing: Evaluator = (inp, rule) => {
  const n = rule.params.months!;
  const last = lastCompleteMonth(inp.asOf);
  const months = Array.from({ length: n }, (_, i) => shiftMonths(`${last}-01`, -i).slice(0, 7));
  const per = months.map((m) => new Map([...groupCases(inp.cases.filter(inMonth(m)), (c) => (c.payment !== null ? c.drgCode : null))].map(([g, l]) => [g, summarise(l)])));
  const findings: AlertFinding[] = [];
  for (const code of per[0]!.keys()) {
    const all = per.map((p) => p.get(code));
    if (!all.every((m) => m && m.settled >= rule.params.minCases! && below(m.pnl, 0))) continue;
    const groupName = inp.cases.find((c) => c.drgCode === code)?.groupName ?? code;
    findings.push(finding(rule, {
      entity: code, entityZh: `${code} ${groupName}`, entityEn: `${code} ${groupName}`, departmentId: null, period: last,
      zh: `病组 ${code} ${groupName} 连续 ${n} 个月亏损：${months.map((m, i) => `${m} ${Math.round(all[i]!.pnl).toLocaleString('zh-CN')} 元（${all[i]!.settled} 例）`).join('，')}`,
      en: `DRG ${code} ${groupName} lost money ${n} months running: ${months.map((m, i) => `${m} CNY ${Math.round(all[i]!.pnl).toLocaleString('en')} (${all[i]!.settled} cases)`).join(', ')}`,
      evidence: Object.fromEntries(months.flatMap((m, i) => [[`pnl_${m}`, all[i]!.pnl], [`cases_${m}`, all[i]!.settled]])),
      link: `/analyst/drg?level=department&drg=${code}&from=${months.at(-1)}-01&to=${last}-31`,
    }));
  }
  return { findings, covers: (p) => p === last };
};

export const efficiency: Evaluator = (inp, rule) => {
  const month = lastCompleteMonth(inp.asOf);
  const findings: AlertFinding[] = [];
  for (const [deptId, list] of groupCases(inp.cases.filter(inMonth(month)), (c) => c.departmentId)) {
    const m = summarise(list);
    if (m.benchmarked < rule.params.minCases!) continue;
    const over = [m.costIndex, m.timeIndex].filter((x) => x !== null && above(x, rule.params.threshold!));
    if (over.length === 0) continue;
    const dept = name(inp.departments, deptId);
    findings.push(finding(rule, {
      entity: deptId, entityZh: dept.zh, entityEn: dept.en, departmentId: deptId, period: month,
      zh: `${dept.zh} ${month} 费用消耗指数 ${m.costIndex?.toFixed(3)}、时间消耗指数 ${m.timeIndex?.toFixed(3)}，高于 ${rule.params.threshold}`,
      en: `${dept.en} in ${month}: cost index ${m.costIndex?.toFixed(3)}, time index ${m.timeIndex?.toFixed(3)}, above ${rule.params.threshold}`,
      evidence: { costIndex: m.costIndex ?? 0, timeIndex: m.timeIndex ?? 0, cases: m.benchmarked },
      link: `/analyst/drg?level=group&department=${deptId}&from=${month}-01&to=${month}-31`,
    }));
  }
  return { findings, covers: (p) => p === month };
};

export const lowRiskDeath: Evaluator = (inp, rule) => {
  const from = addDays(inp.asOf, -(rule.params.lookbackDays! - 1));
  const findings = inp.cases.filter((c) => c.riskTier === 'low' && c.outcome === 'death' && c.dischargeDate >= from && c.dischargeDate <= inp.asOf).map((c) => {
    const dept = name(inp.departments, c.departmentId);
    return finding(rule, {
      entity: c.caseId, entityZh: `${dept.zh} 病例 ${c.caseId}`, entityEn: `${dept.en}, case ${c.caseId}`, departmentId: c.departmentId, period: c.dischargeDate,
      zh: `低风险组 ${c.drgCode} ${c.groupName ?? ''} 病例 ${c.caseId} 死亡（${c.dischargeDate}，${dept.zh}），需病例讨论`,
      en: `Death in low-risk group ${c.drgCode} ${c.groupName ?? ''}: case ${c.caseId} (${c.dischargeDate}, ${dept.en}); review the case`,
      wall: {
        zh: `低风险组 ${c.drgCode} ${c.groupName ?? ''} 死亡 1 例（${c.dischargeDate}，${dept.zh}），需病例讨论`,
        en: `One death in low-risk group ${c.drgCode} ${c.groupName ?? ''} (${c.dischargeDate}, ${dept.en}); review the case`,
      },
      evidence: { drgCode: c.drgCode ?? '', benchmarkMortality: c.benchmark?.mortality ?? 0 },
      link: `/analyst/drg?level=case&drg=${c.drgCode}&department=${c.departmentId}&from=${c.dischargeDate}&to=${c.dischargeDate}`,
    });
  });
  return { findings, covers: (p) => p >= from && p <= inp.asOf };
};

export const groupingRate: Evaluator = (inp, rule) => {
  const month = lastCompleteMonth(inp.asOf);
  const findings: AlertFinding[] = [];
  const parts: [string, EnrichedCase[]][] = [['hospital', inp.cases.filter(inMonth(month))], ...groupCases(inp.cases.filter(inMonth(month)), (c) => c.departmentId)];
  for (const [id, list] of parts) {
    const m = summarise(list);
    if (m.discharges < rule.params.minCases! || m.groupingRate === null || !below(m.groupingRate, rule.params.threshold!)) continue;
    const n = id === 'hospital' ? { zh: '全院', en: 'Whole hospital' } : name(inp.departments, id);
    findings.push(finding(rule, {
      entity: id, entityZh: n.zh, entityEn: n.en, departmentId: id === 'hospital' ? null : id, period: month,
      zh: `${n.zh} ${month} 入组率 ${pct(m.groupingRate)}（${m.grouped}/${m.discharges}），低于 ${pct(rule.params.threshold!, 0)}`,
      en: `${n.en} in ${month}: grouping rate ${pct(m.groupingRate)} (${m.grouped}/${m.discharges}), below ${pct(rule.params.threshold!, 0)}`,
      evidence: { groupingRate: m.groupingRate, grouped: m.grouped, discharges: m.discharges },
      link: `/analyst/drg?level=case&${id === 'hospital' ? '' : `department=${id}&`}from=${month}-01&to=${month}-31`,
    }));
  }
  return { findings, covers: (p) => p === month };
};

/** Year-to-date actuals against the annual budget (see domain/budget.ts), computed once per night's inputs for the three budget rules. */
export const budgetCache = new WeakMap<AlertInputs, BudgetLine[]>();
export const losHigh: Evaluator = (inp, rule) => {
  const month = lastCompleteMonth(inp.asOf);
  const findings: AlertFinding[] = [];
  for (const [deptId, list] of groupCases(inp.cases.filter(inMonth(month)), (c) => c.departmentId)) {
    const benched = list.filter((c) => c.benchmark && c.benchmark.avgLos > 0);
    if (benched.length < rule.params.minCases!) continue;
    const los = benched.reduce((s, c) => s + c.losDays, 0) / benched.length;
    const bench = benched.reduce((s, c) => s + c.benchmark!.avgLos, 0) / benched.length;
    if (!above(los, rule.params.ratio! * bench)) continue;
    const dept = name(inp.departments, deptId);
    findings.push(finding(rule, {
      entity: deptId, entityZh: dept.zh, entityEn: dept.en, departmentId: deptId, period: month,
      zh: `${dept.zh} ${month} 平均住院日 ${los.toFixed(1)} 天，为同病组标杆 ${bench.toFixed(1)} 天的 ${(los / bench).toFixed(2)} 倍`,
      en: `${dept.en} in ${month}: average stay ${los.toFixed(1)} days, ${(los / bench).toFixed(2)}× the case-mix benchmark of ${bench.toFixed(1)}`,
      evidence: { avgLos: los, benchmarkLos: bench, cases: benched.length },
      link: `/analyst/drg?level=group&department=${deptId}&from=${month}-01&to=${month}-31`,
    }));
  }
  return { findings, covers: (p) => p === month };
};

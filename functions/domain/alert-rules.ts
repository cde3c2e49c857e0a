/**
 * The logic of each early-warning rule, as pure functions over inputs the pipeline prepares. Parameters come from the
 * catalogue (data/alert-rules.json and the hospital's overrides); an evaluator never hard-codes a threshold.
 */
import { addDays, daysInMonth, monthStart, shiftMonths, toDayNumber } from './calendar.ts';
import type { AlertFinding, AlertRule, AlertSeverity } from './alerts.ts';
import type { QualityAssessment } from './data-quality.ts';
import { groupCases, summarise, type EnrichedCase } from './drg.ts';
import { budgetItemName, budgetLines as sharedBudgetLines, type BudgetLine, type BudgetMonth } from './budget.ts';
import { kpi } from './kpis/catalog.ts';
import { addFigures, emptyFigures, type Figures } from './kpis/measures.ts';
import { kpiValue } from './kpis/model.ts';

export interface Named { zh: string; en: string }

export interface AlertInputs {
  asOf: string;
  departments: ReadonlyMap<string, Named>;
  wards: ReadonlyMap<string, Named & { departmentId: string }>;
  items: ReadonlyMap<string, Named>;
  /** Patient-item-days whose quantity exceeds the item's daily limit (from the charge lines). */
  chargeExcess: readonly { patientId: string; itemCode: string; day: string; quantity: number; dailyLimit: number; lines: number; departmentId: string }[];
  /** Daily use of drugs and materials per ordering department and item; `useFrom` is the first day the charge lines cover. */
  itemUse: readonly { departmentId: string; itemCode: string; day: string; quantity: number }[];
  useFrom: string | null;
  census: readonly { wardId: string; departmentId: string; day: string; openBeds: number; occupiedBeds: number }[];
  /** Discharged cases, enriched with DRG weight, payment, benchmark, outlier flag and risk tier. */
  cases: readonly EnrichedCase[];
  /** Budget per department, item and month of the as-of year and the year before: the plan in force and the actual. */
  budget: readonly BudgetMonth[];
  /** The data-quality assessments of the last nights, newest last. */
  quality: readonly QualityAssessment[];
}

export interface RuleResult {
  findings: AlertFinding[];
  /** Periods the rule looked at: open alerts of this rule in these periods that it did not find again are auto-resolved. */
  covers: (period: string) => boolean;
  /** Why the rule could not look, when it could not (e.g. not enough history). */
  skipped?: { zh: string; en: string };
}

type Evaluator = (inputs: AlertInputs, rule: AlertRule) => RuleResult;

const pct = (x: number, d = 1): string => `${(x * 100).toFixed(d)}%`;
/** Strictly above / below a threshold, ignoring floating-point noise (1,100 ÷ 1,000 is 1.1000000000000001). */
const EPS = 1e-9;
const above = (x: number, t: number): boolean => x - t > EPS;
const below = (x: number, t: number): boolean => t - x > EPS;
const name = (m: ReadonlyMap<string, Named>, id: string): Named => m.get(id) ?? { zh: id, en: id };
const lastCompleteMonth = (asOf: string): string => {
  const lastDay = daysInMonth(Number(asOf.slice(0, 4)), Number(asOf.slice(5, 7)));
  return Number(asOf.slice(8, 10)) === lastDay ? asOf.slice(0, 7) : shiftMonths(monthStart(asOf), -1).slice(0, 7);
};
const inMonth = (month: string) => (c: EnrichedCase) => c.dischargeDate.startsWith(month);

/** Rules whose findings are about one patient or case: walls never show their own texts, only `wall` (or the rule's name). */
export const PATIENT_LEVEL_RULES: ReadonlySet<string> = new Set(['duplicate_charges', 'readmission_same_adrg', 'low_risk_death']);

function finding(rule: AlertRule, f: Omit<AlertFinding, 'ruleId' | 'severity'> & { severity?: AlertSeverity }): AlertFinding {
  return { ...f, ruleId: rule.id, severity: f.severity ?? rule.severity };
}

const duplicateCharges: Evaluator = (inp, rule) => {
  const from = addDays(inp.asOf, -(rule.params.lookbackDays! - 1));
  const findings = inp.chargeExcess.filter((x) => x.day >= from && x.day <= inp.asOf).map((x) => {
    const item = name(inp.items, x.itemCode);
    const dept = name(inp.departments, x.departmentId);
    return finding(rule, {
      entity: `${x.patientId}/${x.itemCode}`, entityZh: `${dept.zh} 患者 ${x.patientId} · ${item.zh}`, entityEn: `${dept.en}, patient ${x.patientId}: ${item.en}`,
      departmentId: x.departmentId, period: x.day,
      zh: `${x.day} ${dept.zh} 患者 ${x.patientId} 收取「${item.zh}」${x.quantity} 次（${x.lines} 条明细），超过每日限收 ${x.dailyLimit}`,
      en: `${x.day}: ${dept.en} charged patient ${x.patientId} for ${item.en} ${x.quantity} times (${x.lines} lines), over the daily limit of ${x.dailyLimit}`,
      wall: {
        zh: `${x.day} ${dept.zh}「${item.zh}」一名患者当日收取 ${x.quantity} 次，超过每日限收 ${x.dailyLimit}`,
        en: `${x.day}: ${dept.en} charged one patient for ${item.en} ${x.quantity} times in a day, over the daily limit of ${x.dailyLimit}`,
      },
      evidence: { quantity: x.quantity, dailyLimit: x.dailyLimit, lines: x.lines, itemCode: x.itemCode },
      link: `/analyst/charges?by=lines&from=${x.day}&to=${x.day}&patient=${encodeURIComponent(x.patientId)}&item=${encodeURIComponent(x.itemCode)}`,
    });
  });
  return { findings, covers: (p) => p >= from && p <= inp.asOf };
};

const readmission: Evaluator = (inp, rule) => {
  const days = rule.params.days!;
  const from = addDays(inp.asOf, -(rule.params.lookbackDays! - 1));
  const byPatient = groupCases(inp.cases, (c) => c.patientId);
  const findings: AlertFinding[] = [];
  for (const list of byPatient.values()) {
    const sorted = [...list].sort((a, b) => (a.admissionDate < b.admissionDate ? -1 : 1));
    for (let i = 1; i < sorted.length; i++) {
      const later = sorted[i]!;
      if (later.admissionDate < from || !later.adrg) continue;
      const earlier = sorted.slice(0, i).reverse().find((e) => e.adrg === later.adrg && e.dischargeDate <= later.admissionDate);
      if (!earlier) continue;
      const gap = toDayNumber(later.admissionDate) - toDayNumber(earlier.dischargeDate);
      if (gap > days) continue;
      const dept = name(inp.departments, later.departmentId);
      findings.push(finding(rule, {
        entity: later.caseId, entityZh: `${dept.zh} 病例 ${later.caseId}`, entityEn: `${dept.en}, case ${later.caseId}`, departmentId: later.departmentId,
        period: later.admissionDate,
        zh: `患者 ${later.patientId} 于 ${earlier.dischargeDate} 出院（${earlier.caseId}）后 ${gap} 天再次入院，同一 ADRG ${later.adrg}：疑似分解住院`,
        en: `Patient ${later.patientId} was readmitted ${gap} days after discharge on ${earlier.dischargeDate} (${earlier.caseId}) in the same ADRG ${later.adrg}: possible split admission`,
        wall: {
          zh: `${dept.zh} 一名患者出院后 ${gap} 天再次入院，同一 ADRG ${later.adrg}：疑似分解住院`,
          en: `${dept.en}: a patient readmitted ${gap} days after discharge in the same ADRG ${later.adrg}: possible split admission`,
        },
        evidence: { gapDays: gap, adrg: later.adrg, earlierCase: earlier.caseId, laterCase: later.caseId },
        link: `/analyst/drg?level=case&department=${later.departmentId}&from=${earlier.dischargeDate}&to=${later.dischargeDate}`,
      }));
    }
  }
  return { findings, covers: (p) => p >= from && p <= inp.asOf };
};

/** Use per department and item over [from, to]. */
function useBetween(inp: AlertInputs, from: string, to: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const u of inp.itemUse) if (u.day >= from && u.day <= to) out.set(`${u.departmentId}|${u.itemCode}`, (out.get(`${u.departmentId}|${u.itemCode}`) ?? 0) + u.quantity);
  return out;
}

/** A department's use of an item; the link shows that use over `shown`, by day or by month, in the charge-lines explorer. */
const useFinding = (inp: AlertInputs, rule: AlertRule, key: string, zh: string, en: string, evidence: AlertFinding['evidence'], shown: { from: string; to: string; by: 'day' | 'month' }) => {
  const [deptId, itemCode] = key.split('|') as [string, string];
  const dept = name(inp.departments, deptId);
  const item = name(inp.items, itemCode);
  return finding(rule, {
    entity: key.replace('|', '/'), entityZh: `${dept.zh} · ${item.zh}`, entityEn: `${dept.en}: ${item.en}`, departmentId: deptId, period: inp.asOf.slice(0, 7),
    zh: `${dept.zh}「${item.zh}」${zh}`, en: `${dept.en}: ${item.en} ${en}`, evidence,
    link: `/analyst/charges?by=${shown.by}&from=${shown.from}&to=${shown.to}&department=${encodeURIComponent(deptId)}&item=${encodeURIComponent(itemCode)}`,
  });
};

const useGrowth: Evaluator = (inp, rule) => {
  const w = rule.params.windowDays!;
  const curFrom = addDays(inp.asOf, -(w - 1));
  const prevFrom = addDays(curFrom, -w);
  const month = inp.asOf.slice(0, 7);
  if (!inp.useFrom || inp.useFrom > prevFrom) {
    return { findings: [], covers: (p) => p === month, skipped: { zh: `收费明细需覆盖 ${prevFrom} 起的 ${2 * w} 天`, en: `needs charge lines for the ${2 * w} days from ${prevFrom}` } };
  }
  const cur = useBetween(inp, curFrom, inp.asOf);
  const prev = useBetween(inp, prevFrom, addDays(curFrom, -1));
  const findings: AlertFinding[] = [];
  for (const [key, before] of prev) {
    const now = cur.get(key) ?? 0;
    if (before < rule.params.floor! || !above((now - before) / before, rule.params.growth!)) continue;
    findings.push(useFinding(inp, rule, key, `近 ${w} 天用量 ${now}，较前 ${w} 天 ${before} 增长 ${pct((now - before) / before)}`,
      `use in the last ${w} days is ${now}, up ${pct((now - before) / before)} on the ${w} days before (${before})`, { current: now, previous: before, growth: (now - before) / before },
      { from: prevFrom, to: inp.asOf, by: 'day' }));
  }
  return { findings, covers: (p) => p === month };
};

const useZScore: Evaluator = (inp, rule) => {
  const months = rule.params.months!;
  const last = lastCompleteMonth(inp.asOf);
  const first = shiftMonths(`${last}-01`, -months).slice(0, 7);
  if (!inp.useFrom || inp.useFrom > `${first}-01`) {
    return { findings: [], covers: (p) => p === inp.asOf.slice(0, 7), skipped: { zh: `收费明细需覆盖自 ${first} 起的 ${months + 1} 个月`, en: `needs ${months + 1} months of charge lines from ${first}` } };
  }
  const byMonth = new Map<string, Map<string, number>>();
  for (const u of inp.itemUse) {
    const m = u.day.slice(0, 7);
    if (m < first || m > last) continue;
    const key = `${u.departmentId}|${u.itemCode}`;
    let row = byMonth.get(key);
    if (!row) byMonth.set(key, (row = new Map()));
    row.set(m, (row.get(m) ?? 0) + u.quantity);
  }
  const findings: AlertFinding[] = [];
  for (const [key, row] of byMonth) {
    const history = Array.from({ length: months }, (_, i) => row.get(shiftMonths(`${first}-01`, i).slice(0, 7)) ?? 0);
    const now = row.get(last) ?? 0;
    const mean = history.reduce((s, x) => s + x, 0) / months;
    const sd = Math.sqrt(history.reduce((s, x) => s + (x - mean) ** 2, 0) / months);
    if (now < rule.params.floor! || sd === 0) continue;
    const z = (now - mean) / sd;
    if (!above(z, rule.params.z!)) continue;
    findings.push(useFinding(inp, rule, key, `${last} 月用量 ${now}，为前 ${months} 个月均值 ${mean.toFixed(0)} 的 z=${z.toFixed(1)}`,
      `use in ${last} was ${now}, z = ${z.toFixed(1)} against the ${months}-month mean ${mean.toFixed(0)}`, { current: now, mean, sd, z },
      // The explorer shows at most 13 months at once: the tested month and the 12 before it.
      { from: shiftMonths(`${last}-01`, -Math.min(months, 12)), to: `${last}-${String(daysInMonth(Number(last.slice(0, 4)), Number(last.slice(5, 7)))).padStart(2, '0')}`, by: 'month' }));
  }
  return { findings, covers: (p) => p === inp.asOf.slice(0, 7) };
};

const drgOutliers: Evaluator = (inp, rule) => {
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

const groupLosing: Evaluator = (inp, rule) => {
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

const efficiency: Evaluator = (inp, rule) => {
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

const lowRiskDeath: Evaluator = (inp, rule) => {
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

const groupingRate: Evaluator = (inp, rule) => {
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
const budgetCache = new WeakMap<AlertInputs, BudgetLine[]>();
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

const budgetDeviation = (kind: 'expense' | 'revenue'): Evaluator => (inp, rule) => {
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

const forecastOverrun: Evaluator = (inp, rule) => {
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

const occupancy = (kind: 'over' | 'high' | 'low'): Evaluator => (inp, rule) => {
  // The month rule judges the month to date once it has `minDays` days; before that (a two-day month says nothing)
  // it judges the last complete month.
  const early = kind === 'over' && Number(inp.asOf.slice(8, 10)) < rule.params.minDays!;
  const month = early ? shiftMonths(monthStart(inp.asOf), -1).slice(0, 7) : inp.asOf.slice(0, 7);
  const to = early ? addDays(monthStart(inp.asOf), -1) : inp.asOf;
  const days = rule.params.days ?? 0;
  const from = kind === 'over' ? `${month}-01` : addDays(inp.asOf, -(days - 1));
  const span = kind === 'over'
    ? (early ? { zh: `${month} 全月`, en: `in ${month}` } : { zh: `本月至今（${Number(inp.asOf.slice(8, 10))} 天）`, en: `this month to date (${Number(inp.asOf.slice(8, 10))} days)` })
    : { zh: '', en: '' };
  // Each day's occupancy and the span's, both as the catalogue defines bed occupancy (occupied ÷ open bed-days × 100).
  const BED_OCCUPANCY = kpi('bed_occupancy');
  const byWard = new Map<string, { departmentId: string; rates: Map<string, number>; sum: Figures }>();
  for (const c of inp.census) {
    if (c.day < from || c.day > to || c.openBeds <= 0) continue;
    let w = byWard.get(c.wardId);
    if (!w) byWard.set(c.wardId, (w = { departmentId: c.departmentId, rates: new Map(), sum: emptyFigures() }));
    const day = { ...emptyFigures(), occupiedBeds: c.occupiedBeds, openBeds: c.openBeds };
    w.rates.set(c.day, kpiValue(BED_OCCUPANCY, day)!);
    addFigures(w.sum, day);
  }
  const findings: AlertFinding[] = [];
  for (const [wardId, w] of byWard) {
    const rates = [...w.rates.values()];
    const spanRate = kpiValue(BED_OCCUPANCY, w.sum)!;
    const ward = name(inp.wards, wardId);
    // The ward's table lives on its department's view.
    const base = { entity: wardId, entityZh: ward.zh, entityEn: ward.en, departmentId: w.departmentId, period: month, link: `/tablet/department/${w.departmentId}` };
    if (kind === 'over') {
      // Occupied bed-days ÷ open bed-days for the month so far: a busy night or two is not a ward over capacity.
      const mean = spanRate;
      if (!above(mean, rule.params.threshold!)) continue;
      const over = rates.filter((r) => above(r, rule.params.threshold!)).length;
      const max = Math.max(...rates);
      findings.push(finding(rule, { ...base,
        zh: `${ward.zh} ${span.zh}床位使用率 ${mean.toFixed(1)}%，超过 ${rule.params.threshold}%（${rates.length} 天中 ${over} 天超限，最高 ${max.toFixed(1)}%）：加床收治`,
        en: `${ward.en}: occupancy ${mean.toFixed(1)}% ${span.en}, above ${rule.params.threshold}% (${over} of ${rates.length} days over, up to ${max.toFixed(1)}%): extra beds`,
        evidence: { monthOccupancy: mean, days: rates.length, daysOver: over, maxOccupancy: max, latest: w.rates.get(to) ?? 0 } }));
    } else if (kind === 'high') {
      if (rates.length < days || !rates.every((r) => above(r, rule.params.threshold!))) continue;
      const mean = rates.reduce((s, r) => s + r, 0) / rates.length;
      findings.push(finding(rule, { ...base,
        zh: `${ward.zh} 连续 ${days} 天床位使用率超过 ${rule.params.threshold}%（平均 ${mean.toFixed(1)}%）`,
        en: `${ward.en}: occupancy above ${rule.params.threshold}% for ${days} days running (mean ${mean.toFixed(1)}%)`,
        evidence: { days, meanOccupancy: mean } }));
    } else {
      if (rates.length < days) continue;
      const mean = spanRate;
      if (!below(mean, rule.params.threshold!)) continue;
      findings.push(finding(rule, { ...base,
        zh: `${ward.zh} 近 ${days} 天平均床位使用率 ${mean.toFixed(1)}%，低于 ${rule.params.threshold}%`,
        en: `${ward.en}: mean occupancy ${mean.toFixed(1)}% over ${days} days, below ${rule.params.threshold}%`,
        evidence: { days, meanOccupancy: mean } }));
    }
  }
  return { findings, covers: (p) => p === month };
};

const losHigh: Evaluator = (inp, rule) => {
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

const dataQuality: Evaluator = (inp, rule) => {
  const order: Record<AlertSeverity, number> = { P1: 1, P2: 2, P3: 3 };
  const from = addDays(inp.asOf, -(rule.params.lookbackNights! - 1));
  const nights = inp.quality.filter((q) => q.date >= from && q.date <= inp.asOf);
  const findings = nights.flatMap((q) => q.issues.filter((i) => order[i.severity] <= rule.params.maxSeverity!).map((i, n) => finding(rule, {
    entity: `${i.table ?? 'night'}/${i.code}${i.code === 'ignored_files' || i.code === 'file_refused' || i.code === 'truncated' ? `/${n}` : ''}`,
    entityZh: i.table ?? '整批', entityEn: i.table ?? 'whole night', departmentId: null, period: q.date, severity: i.severity,
    zh: `${q.date}：${i.zh}`, en: `${q.date}: ${i.en}`, evidence: { code: i.code, table: i.table ?? '' }, link: `/analyst/quality?date=${q.date}${i.table ? `&table=${i.table}` : ''}`,
  })));
  return { findings, covers: (p) => nights.some((q) => q.date === p) };
};

/** The evaluator behind each catalogue id. A catalogue rule with no evaluator is a configuration error. */
export const EVALUATORS: Record<string, Evaluator> = {
  duplicate_charges: duplicateCharges,
  readmission_same_adrg: readmission,
  drug_use_growth: useGrowth,
  drug_use_zscore: useZScore,
  drg_outlier_cases: drgOutliers,
  drg_group_losing: groupLosing,
  drg_efficiency_index: efficiency,
  low_risk_death: lowRiskDeath,
  drg_grouping_rate: groupingRate,
  budget_expense_ahead: budgetDeviation('expense'),
  budget_revenue_behind: budgetDeviation('revenue'),
  budget_forecast_overrun: forecastOverrun,
  bed_occupancy_over: occupancy('over'),
  bed_occupancy_high: occupancy('high'),
  bed_occupancy_low: occupancy('low'),
  los_above_benchmark: losHigh,
  data_quality: dataQuality,
};

export interface Evaluation {
  findings: AlertFinding[];
  results: { rule: AlertRule; result: RuleResult; ms: number }[];
}

/** Runs every enabled rule of the catalogue over the inputs. */
export function evaluateRules(rules: readonly AlertRule[], inputs: AlertInputs): Evaluation {
  const results: Evaluation['results'] = [];
  for (const rule of rules) {
    if (!rule.enabled) continue;
    const evaluate = EVALUATORS[rule.id];
    if (!evaluate) throw new Error(`预警规则 ${rule.id} 没有对应的实现 / alert rule ${rule.id} has no evaluator (known: ${Object.keys(EVALUATORS).join(', ')})`);
    const started = performance.now();
    results.push({ rule, result: evaluate(inputs, rule), ms: performance.now() - started });
  }
  return { findings: results.flatMap((r) => r.result.findings), results };
}

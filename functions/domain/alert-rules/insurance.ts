/** Insurance fund supervision rules (医保基金监管): duplicate charges over a daily limit, split admissions, drug-use surges. */
import { addDays, daysInMonth, shiftMonths, toDayNumber } from '../calendar.ts';
import type { AlertFinding, AlertRule } from '../alerts.ts';
import { groupCases } from '../drg.ts';
import { type AlertInputs, type Evaluator, pct, above, name, lastCompleteMonth, finding } from './common.ts';

export const duplicateCharges: Evaluator = (inp, rule) => {
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

export const readmission: Evaluator = (inp, rule) => {
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

export const useGrowth: Evaluator = (inp, rule) => {
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

export const useZScore: Evaluator = (inp, rule) => {
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

/** Operations and data rules: ward occupancy over, high and low (the catalogue's bed occupancy), and data-quality issues. */
import { addDays, monthStart, shiftMonths } from '../calendar.ts';
import type { AlertFinding, AlertSeverity } from '../alerts.ts';
import { kpi } from '../kpis/catalog.ts';
import { addFigures, emptyFigures, type Figures } from '../kpis/measures.ts';
import { kpiValue } from '../kpis/model.ts';
import { type Evaluator, above, below, name, finding } from './common.ts';

export const occupancy = (kind: 'over' | 'high' | 'low'): Evaluator => (inp, rule) => {
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

export const dataQuality: Evaluator = (inp, rule) => {
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

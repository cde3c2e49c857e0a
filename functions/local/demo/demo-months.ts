/** Month by month: resources, costs by element and budget actuals, the budgets with their mid-year adjustments, and the manifest. */
import { daysInMonth, fromDayNumber } from '../../domain/calendar.ts';
import { Rng } from './rng.ts';
import { type Anomaly, type DemoManifest, cents, yuan } from './demo-common.ts';
import type { Run, Books } from './demo-run.ts';

/** Monthly facts for every complete month (resources, costs by element, budget actuals), in the month's first-day partition. */
export function writeMonthlyFacts(r: Run, b: Books): Map<string, number> {
  const { opts, hospital, end, start, landing, doctorsByDept, overspend } = r;
  const { totals } = b;
  // ── monthly facts for every complete month, delivered into the month's first-day partition ──
  const months: string[] = [];
  for (let y = Number(start.slice(0, 4)), m = Number(start.slice(5, 7)); ; ) {
    const mm = `${y}-${String(m).padStart(2, '0')}`;
    if (`${mm}-${String(daysInMonth(y, m)).padStart(2, '0')}` > end) break;
    if (`${mm}-01` >= start) months.push(mm);
    m++;
    if (m > 12) { m = 1; y++; }
  }
  const costRng = new Rng(opts.seed, 'costs');
  const actuals = new Map<string, number>(); // month|dept|item → cents
  const setActual = (mm: string, dept: string, item: string, v: number): void => void actuals.set(`${mm}|${dept}|${item}`, v);
  for (const mm of months) {
    const monthNo = Number(mm.slice(5, 7));
    const seasonalEnergy = monthNo >= 6 && monthNo <= 8 ? 1.3 : monthNo === 12 || monthNo <= 2 ? 1.25 : 1;
    for (const d of hospital.departments) {
      const t = totals(mm, d.id);
      const doctors = (doctorsByDept.get(d.id) ?? []).length;
      const nurses = d.cls === 'clinical' ? Math.round(d.beds * 0.45 + d.opd / 50 + 1) : 0;
      const headcount = d.cls === 'clinical' ? doctors + nurses + 2 : d.staff ?? 5;
      const area = d.cls === 'clinical' ? d.beds * 42 + d.opd * 2.5 + 150 : headcount * (d.cls === 'medical_technical' ? 28 : 12);
      const kwh = area * (d.cls === 'medical_technical' ? 32 : d.cls === 'clinical' ? 15 : 8) * seasonalEnergy * (0.95 + 0.1 * costRng.next());
      const energyCost = cents(kwh * 0.92);
      landing.add('department_resources', `${mm}-01`, [mm, d.id, headcount, doctors, nurses, area.toFixed(2), kwh.toFixed(2), yuan(energyCost)]);
      const bonus = monthNo === 1 ? 1.35 : monthNo === 12 ? 1.15 : 1;
      // Monthly cost of a post incl. social insurance and housing fund (a tertiary hospital in Heilongjiang): doctor, nurse, other staff.
      const personnel = cents((doctors * 15_000 + nurses * 8_500 + (headcount - doctors - nurses) * 7_000) * bonus * (0.98 + 0.04 * costRng.next()));
      const revenue = d.cls === 'medical_technical' ? t.executed : t.revenue;
      let materials = d.cls === 'clinical' ? t.material : d.cls === 'medical_technical' ? Math.round(t.executed * 0.12) : cents(headcount * 300);
      if (d.id === overspend.dept && mm >= overspend.fromMonth) materials = Math.round(materials * overspend.factor);
      const elements: Record<string, number> = {
        personnel,
        health_materials: materials,
        drugs: d.cls === 'clinical' ? t.drug : 0,
        depreciation: cents(d.cls === 'clinical' ? d.beds * 900 + d.opd * 15 + 12_000 : headcount * (d.cls === 'medical_technical' ? 4_000 : 1_000)),
        amortisation: cents(headcount * 260),
        risk_fund: Math.round(revenue * 0.001),
        other_operating: Math.round(revenue * 0.025) + cents(headcount * 800),
      };
      for (const [el, amount] of Object.entries(elements)) landing.add('department_costs', `${mm}-01`, [mm, d.id, el, yuan(amount)]);
      // Revenue is budgeted where it is ordered (the clinical departments), so that departments add up to the hospital.
      if (d.cls === 'clinical' && revenue > 0) setActual(mm, d.id, 'medical_revenue', revenue);
      setActual(mm, d.id, 'personnel', personnel);
      if (materials > 0) setActual(mm, d.id, 'health_materials', materials);
      if (elements.drugs! > 0) setActual(mm, d.id, 'drugs', elements.drugs!);
      setActual(mm, d.id, 'operating', elements.other_operating!);
      setActual(mm, d.id, 'utilities', energyCost);
    }
  }
  for (const [key, amount] of actuals) {
    const [mm, dept, item] = key.split('|') as [string, string, string];
    landing.add('budget_actuals', `${mm}-01`, [mm, dept, item, ITEM_TYPE[item]!, yuan(amount)]);
  }
  return actuals;
}

const ITEM_TYPE: Record<string, string> = { medical_revenue: 'revenue', personnel: 'expense', health_materials: 'expense', drugs: 'expense', operating: 'expense', utilities: 'expense' };

/** Budgets: each year's month is the same month a year earlier +5% (or this year's own figure where there is none). */
export function writeBudgets(r: Run, actuals: ReadonlyMap<string, number>, years: readonly number[]): void {
  const { opts, start, landing } = r;
  // Budgets: each year's month = the same month a year earlier +5% (or this year's own figure where there is no earlier one).
  const budgetRng = new Rng(opts.seed, 'budget');
  const itemsByDept = new Map<string, Set<string>>();
  for (const key of actuals.keys()) {
    const [, dept, item] = key.split('|') as [string, string, string];
    itemsByDept.set(dept, (itemsByDept.get(dept) ?? new Set()).add(item));
  }
  for (const y of years) {
    for (const [dept, itemSet] of itemsByDept) {
      for (const item of itemSet) {
        // A budget covers the whole year: months with no history of their own take the average of those that have one.
        const bases = Array.from({ length: 12 }, (_, i) => {
          const mm = `${y}-${String(i + 1).padStart(2, '0')}`;
          const prev = actuals.get(`${y - 1}-${mm.slice(5)}|${dept}|${item}`);
          const own = actuals.get(`${mm}|${dept}|${item}`);
          return prev !== undefined ? Math.round(prev * 1.05) : own;
        });
        const known = bases.filter((b): b is number => b !== undefined);
        if (known.length === 0) continue;
        const average = Math.round(known.reduce((a, b) => a + b, 0) / known.length);
        for (let m = 1; m <= 12; m++) {
          const mm = `${y}-${String(m).padStart(2, '0')}`;
          // …but no plan before the demo's first month (it would land in partitions older than the hospital's first night).
          const basis = bases[m - 1] ?? (mm >= start.slice(0, 7) ? average : undefined);
          if (basis === undefined) continue;
          const original = Math.round(basis * (0.97 + 0.06 * budgetRng.next()));
          landing.add('budget_plan', `${mm}-01`, [mm, dept, item, ITEM_TYPE[item]!, 'original', yuan(original), '']);
          if ((dept === 'D205' || dept === 'D101') && m >= 7 && item !== 'medical_revenue') {
            landing.add('budget_plan', `${mm}-01`, [mm, dept, item, ITEM_TYPE[item]!, 'adjusted', yuan(Math.round(original * 1.06)), '年中预算调整：新增设备及人员 mid-year adjustment: new equipment and staff']);
          }
        }
      }
    }
  }
}

/** What the demo's anomalies are and where, for the tests and the README. */
export function manifestOf(r: Run): DemoManifest {
  const { opts, end, start, chargeFromDay, landing, deptById, drugJump, overWard, overFrom, dupDay, dupWard, dupCases, lateNight, NEW_DRUG, overspend, seq } = r;
  const newDrugLines = seq.newDrugLines;
  const anomalies: Anomaly[] = [
    { kind: 'drug_use_jump', zh: `${deptById.get(drugJump.dept)!.zh} 注射用头孢哌酮钠舒巴坦钠用量较上月激增`, en: `${deptById.get(drugJump.dept)!.en}: cefoperazone-sulbactam use jumps month on month`,
      entity: `${drugJump.dept}/${drugJump.item}`, from: drugJump.from, to: end, detail: { extraQuantityPerPatientDay: '6–12' } },
    { kind: 'duplicate_charges', zh: `${dupWard.zh} 3 名患者同日重复收取床位费与 CT 费用`, en: `${dupWard.en}: bed and CT fees charged twice on one day for 3 patients`,
      entity: dupWard.id, from: dupDay, to: dupDay, detail: { cases: dupCases.join(' '), items: 'B01 E01' } },
    { kind: 'budget_overspend', zh: `${deptById.get(overspend.dept)!.zh} 卫生材料费支出超预算约 ${Math.round((overspend.factor - 1) * 100)}%`, en: `${deptById.get(overspend.dept)!.en}: health-material spending ~${Math.round((overspend.factor - 1) * 100)}% over budget`,
      entity: `${overspend.dept}/${overspend.item}`, from: `${overspend.fromMonth}-01`, to: end, detail: { factor: overspend.factor } },
    { kind: 'ward_over_capacity', zh: `${overWard.zh} 加床收治，床位使用率超过 100%`, en: `${overWard.en}: extra beds, occupancy above 100%`,
      entity: overWard.id, from: overFrom, to: end, detail: { openBeds: overWard.beds, admissionRateFactor: 1.75 } },
    { kind: 'late_extract', zh: `${lateNight} 的收费明细晚到 4 小时 25 分，含 ${newDrugLines} 行未入字典的新药 ${NEW_DRUG}`, en: `Charge lines for ${lateNight} arrived 4h25m late with ${newDrugLines} lines of a new drug ${NEW_DRUG} missing from the item master`,
      entity: 'charge_lines', from: lateNight, to: lateNight, detail: { lateMinutes: 265, unknownItemLines: newDrugLines } },
  ];
  return {
    generator: 'opsdeck-demo/1', seed: opts.seed, scale: opts.scale, startDate: start, endDate: end,
    chargeLinesFrom: fromDayNumber(chargeFromDay), rows: landing.rows, anomalies,
  };
}

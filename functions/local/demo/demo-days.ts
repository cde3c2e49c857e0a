/** Day by day: inpatients admitted with their whole stay, the wards' census and operations, the clinics' visits, their charge lines. */
import { fromDayNumber, toDayNumber, weekday } from '../../domain/calendar.ts';
import type { ChargeItem, Ward } from './hospital.ts';
import { Rng } from './rng.ts';
import { OPD_WEEK, ADMIT_WEEK, BENCHMARK_COST_PER_WEIGHT, cents, yuan, seasonFactor, type Line, type InpatientCase } from './demo-common.ts';
import type { Run, Model, Books } from './demo-run.ts';

/** Inpatients: each case's whole stay and its charge lines are drawn at admission. */
function caseAdmitter(r: Run, m: Model) {
  const { profile, hospital, items, idx, deptById, groupsByDept, drugJump, dupDay, dupWard, dupCases, seq } = r;
  const { drgPool, caseLos } = m;
  // ── inpatients: each case's whole stay and its charge lines are drawn at admission ──
  const inflight = new Map<string, InpatientCase[]>(hospital.wards.map((w) => [w.id, []]));
  const admitCase = (rng: Rng, day: number, ward: Ward): InpatientCase => {
    const dept = deptById.get(ward.department)!;
    const date = fromDayNumber(day);
    const pool = drgPool.get(dept.id)!;
    const grouped = rng.chance(0.975);
    const drg = rng.cumulative(pool.rows, pool.cumulative);
    const weight = drg.weight;
    let los = caseLos(rng, weight, dept);
    // About 1.5% of stays are complicated (infection, a second operation, ICU days): twice as long and 2.8–4.4× the
    // usual cost, which is where a hospital's high-multiple (高倍率) DRG cases come from.
    const complicated = rng.chance(0.015);
    if (complicated) los = los * 2 + 2;
    const discharge = day + los;
    const target = cents(weight * BENCHMARK_COST_PER_WEIGHT * dept.costFactor * rng.lognormal(1, 0.28) * (complicated ? 2.8 + 1.6 * rng.next() : 1));
    const surgicalDrg = drg.code[1]! <= 'J';
    const surgeryDay = surgicalDrg ? day + Math.min(los - 1, rng.int(0, 2)) : undefined;
    const surgeryLevel = surgicalDrg ? Math.min(4, Math.max(1, Math.round(1 + weight * 1.1 + rng.next()))) : undefined;
    const deathP = 0.0006 * Math.pow(weight, 2) + (dept.system === 'emergency_critical' ? 0.03 : 0);
    const outcome = rng.chance(deathP) ? 'death' : rng.weighted(['cured', 'improved', 'not_cured', 'other'], [45, 47, 4, 4]);
    const c: InpatientCase = {
      id: `Z${date.replaceAll('-', '').slice(2)}${String(++seq.case).padStart(6, '0')}`,
      // Pseudonymised ids from a pool of 10^8: a smaller pool made two concurrent inpatients share an id at scale l.
      patient: `P${String(rng.int(1, 99_999_999)).padStart(8, '0')}`,
      admit: day, discharge, ward, dept, group: rng.pick(groupsByDept.get(dept.id)!),
      drg: grouped ? drg : undefined,
      insurance: rng.weighted(['employee', 'resident', 'self_pay'], [48, 44, 8]),
      outcome, surgeryDay, surgeryLevel, days: [],
    };
    // Daily lines; drug, lab and treatment quantities scale so the stay lands near its target cost.
    const icu = dept.system === 'emergency_critical';
    const perDayVariable = Math.max(0, target / los - cents(icu ? 260 + 28 + 20 + 8 : 45 + 28 + 20 + 8));
    const drugShare = dept.surgical ? 0.2 : 0.32;
    const materialShare = dept.surgical ? 0.2 : 0.1;
    const drugs = dept.id === 'D205' ? ['X10', 'X05', 'X06'] : dept.id === 'D304' ? ['X15', 'X05'] : ['X03', 'X04', 'X05', 'X06', 'X07', 'X08', 'X09', 'X01', 'X02', 'X14'];
    for (let k = 0; k < los; k++) {
      const lines: Line[] = [
        { item: idx(icu ? 'B03' : 'B01'), qty: 1 }, { item: idx('B02'), qty: 1 }, { item: idx('B04'), qty: 1 }, { item: idx('Z01'), qty: 1 },
      ];
      const drugBudget = perDayVariable * drugShare * (k === 0 ? 0.6 : 1);
      const d1 = idx(rng.pick(drugs));
      const d2 = idx(rng.pick(drugs));
      lines.push({ item: d1, qty: Math.max(1, Math.round((drugBudget * 0.6) / cents(items[d1]!.price))) });
      lines.push({ item: d2, qty: Math.max(1, Math.round((drugBudget * 0.4) / cents(items[d2]!.price))) });
      if (dept.id === drugJump.dept && fromDayNumber(day + k) >= drugJump.from) lines.push({ item: idx(drugJump.item), qty: 3 * rng.int(2, 4) });
      lines.push({ item: idx('T01'), qty: rng.int(1, 3) }, { item: idx('M01'), qty: rng.int(1, 3) }, { item: idx('M02'), qty: rng.int(2, 6) });
      lines.push({ item: idx('M09'), qty: Math.max(1, Math.round((perDayVariable * materialShare) / cents(items[idx('M09')]!.price))) });
      if (icu || weight > 2.5) lines.push({ item: idx('T04'), qty: 24 }, { item: idx('T03'), qty: rng.int(6, 24) });
      if (k === 0 || rng.chance(0.35)) lines.push({ item: idx('L01'), qty: 1 }, { item: idx('L02'), qty: 1 });
      if (k === 0) lines.push({ item: idx('L03'), qty: 1 }, { item: idx('L06'), qty: 1 }, { item: idx('E04'), qty: 1 });
      if (k === 0 || (k === 1 && rng.chance(0.5))) lines.push({ item: idx(rng.pick(['E01', 'E02', 'E03', 'E05'])), qty: 1 });
      if (dept.id === 'D208') lines.push({ item: idx('T07'), qty: 2 }, { item: idx('T06'), qty: 1 });
      if (dept.id === 'D106' && k % 2 === 0) lines.push({ item: idx('T05'), qty: 1 });
      if (surgeryDay === day + k && surgeryLevel) {
        lines.push({ item: idx(`S0${surgeryLevel}`), qty: 1 }, { item: idx('S05'), qty: 1 }, { item: idx('M03'), qty: 2 }, { item: idx('E07'), qty: 1 }, { item: idx('X16'), qty: 2 });
        const implant = dept.id === 'D109' ? 'M05' : dept.id === 'D101' || dept.id === 'D111' ? 'M04' : dept.id === 'D115' ? 'M07' : 'M06';
        if (weight > 0.9 || dept.id === 'D115') lines.push({ item: idx(implant), qty: dept.id === 'D101' ? rng.int(1, 2) : 1 });
      }
      if (k > 0 && dept.surgical && rng.chance(0.5)) lines.push({ item: idx('T02'), qty: 1 });
      if (profile.lineDetail > 1) for (let x = 1; x < profile.lineDetail; x++) lines.push({ item: idx('M02'), qty: 1 }, { item: idx('T01'), qty: 1 });
      c.days.push(lines);
    }
    if (ward.id === dupWard.id && dupCases.length < 3) {
      const k = toDayNumber(dupDay) - day;
      if (k >= 0 && k < los) {
        c.days[k]!.push({ item: idx('B01'), qty: 1 }, { item: idx('E01'), qty: 1 }, { item: idx('E01'), qty: 2 });
        dupCases.push(c.id);
      }
    }
    return c;
  };

  return { inflight, admitCase };
}

/** The charge lines of a visit or a day of a stay; on the late night six of them name a drug the item master lacks. */
function lineEmitter(r: Run, b: Books) {
  const { landing, items, drugJump, lateNight, NEW_DRUG, seq } = r;
  const { lineAmount } = b;
  const emitLines = (dt: string, sourceType: string, sourceId: string, patient: string, dept: string, lines: Line[]): void => {
    for (const l of lines) {
      const it: ChargeItem = items[l.item]!;
      const unknown = dt === lateNight && it.category === 'drug' && it.code !== drugJump.item && seq.newDrugLines < 6 && ++seq.newDrugLines > 0;
      landing.add('charge_lines', dt, [`L${dt.replaceAll('-', '')}${String(++seq.line).padStart(8, '0')}`, sourceType, sourceId, patient, unknown ? NEW_DRUG : it.code, it.category,
        l.qty, it.price.toFixed(2), yuan(lineAmount(l)), dept, it.executing ?? dept, dt]);
    }
  };
  return emitLines;
}
type EmitLines = ReturnType<typeof lineEmitter>;

/** One day on the wards: discharges, then admissions, then the midnight census, operations and the day's lines. */
function wardDay(r: Run, m: Model, b: Books, adm: ReturnType<typeof caseAdmitter>, emitLines: EmitLines, day: number): void {
  const { opts, hospital, startDay, chargeFromDay, landing, deptById, overWard, overFrom, seq } = r;
  const { occupancyTarget, meanLos, trend } = m;
  const { totals, bookLines, feeFields } = b;
  const { inflight, admitCase } = adm;
  const dt = fromDayNumber(day);
  const inWindow = day >= startDay;
  const month = dt.slice(0, 7);
  // Discharges, then admissions, then the midnight census.
  for (const ward of hospital.wards) {
    const dept = deptById.get(ward.department)!;
    const list = inflight.get(ward.id)!;
    let discharges = 0;
    for (let i = list.length - 1; i >= 0; i--) {
      const c = list[i]!;
      if (c.discharge !== day) continue;
      list.splice(i, 1);
      discharges++;
      if (!inWindow) continue;
      const stay = c.days.flat();
      landing.add('inpatient_cases', dt, [c.id, c.patient, fromDayNumber(c.admit), dt, ward.campus, dept.id, ward.id, c.group, c.drg?.code ?? '', c.discharge - c.admit,
        c.outcome, c.insurance, ...feeFields('inpatient_cases', stay, c.insurance)]);
      totals(month, dept.id).discharges++;
      bookLines(month, dept.id, stay);
    }
    const occ = occupancyTarget(dept);
    const surge = ward.id === overWard.id && dt >= overFrom ? 1.75 : 1;
    const lambda = ((ward.beds * occ) / meanLos(dept)) * ADMIT_WEEK[weekday(dt)]! * (0.75 + 0.25 * seasonFactor(dt, dept)) * trend(day) * surge;
    const wardRng = new Rng(opts.seed, 'admit', day, ward.id);
    const n = wardRng.poisson(lambda);
    for (let k = 0; k < n; k++) list.push(admitCase(wardRng, day, ward));
    if (inWindow) {
      landing.add('bed_census', dt, [dt, ward.id, ward.campus, dept.id, ward.beds, list.length, n, discharges]);
      for (const c of list) {
        if (c.surgeryDay === day) {
          landing.add('surgeries', dt, [`OP${dt.replaceAll('-', '')}${String(++seq.surgery).padStart(5, '0')}`, dt, ward.campus, dept.id, c.id, c.patient, c.surgeryLevel!, 'false']);
        }
        if (day >= chargeFromDay) emitLines(dt, 'inpatient', c.id, c.patient, dept.id, c.days[day - c.admit]!);
      }
    }
  }
}

/** One day's outpatient and emergency visits, with their charge lines. */
function clinicDay(r: Run, m: Model, b: Books, emitLines: EmitLines, day: number, dayRng: Rng): void {
  const { profile, hospital, chargeFromDay, landing, items, idx, doctorsByDept, seq } = r;
  const { trend } = m;
  const { totals, bookLines, feeFields } = b;
  const dt = fromDayNumber(day);
  const month = dt.slice(0, 7);
  // Outpatient and emergency visits.
  for (const dept of hospital.departments) {
    const emergencyDept = dept.id === 'D114';
    if (dept.opd === 0 && !emergencyDept) continue;
    const base = emergencyDept ? 240 * profile.size : dept.opd * OPD_WEEK[weekday(dt)]!;
    const n = dayRng.poisson(base * seasonFactor(dt, dept) * trend(day));
    const doctors = doctorsByDept.get(dept.id)!;
    for (let k = 0; k < n; k++) {
      const emergency = emergencyDept || (dept.id === 'D203' && dayRng.chance(0.15));
      const doc = dayRng.pick(doctors);
      const lines: Line[] = [{ item: idx(emergency ? 'R04' : doc.title === 'chief' ? 'R03' : doc.title === 'associate_chief' ? 'R02' : 'R01'), qty: 1 }];
      if (dayRng.chance(0.62)) {
        const pool = dept.id === 'D304' ? ['X15'] : dept.id === 'D203' ? ['X11', 'X12', 'X13'] : ['X01', 'X02', 'X11', 'X14', 'X13', 'X06', 'X09'];
        const kinds = dayRng.int(1, 2);
        for (let j = 0; j < kinds; j++) {
          const it = idx(dayRng.pick(pool));
          lines.push({ item: it, qty: Math.max(1, Math.round(dayRng.lognormal(38, 0.6) / items[it]!.price)) });
        }
      }
      if (dayRng.chance(emergency ? 0.7 : 0.38)) lines.push({ item: idx('L01'), qty: 1 }, ...(dayRng.chance(0.5) ? [{ item: idx('L02'), qty: 1 }] : []));
      if (dayRng.chance(emergency ? 0.45 : 0.22)) lines.push({ item: idx(dayRng.pick(['E01', 'E03', 'E04', 'E05', 'E02'])), qty: 1 });
      if (dayRng.chance(emergency ? 0.5 : 0.15)) lines.push({ item: idx('T01'), qty: dayRng.int(1, 2) }, { item: idx('M01'), qty: 1 }, { item: idx('M09'), qty: dayRng.int(1, 4) });
      if (dept.surgical && dayRng.chance(0.06)) lines.push({ item: idx('S01'), qty: 1 }, { item: idx('M03'), qty: 1 });
      if (dept.id === 'D304' && dayRng.chance(0.4)) lines.push({ item: idx('T06'), qty: 1 });
      const visitId = `V${dt.replaceAll('-', '').slice(2)}${String(++seq.visit).padStart(7, '0')}`;
      const patient = `P${String(dayRng.int(1, 99_999_999)).padStart(8, '0')}`;
      const insurance = dayRng.weighted(['employee', 'resident', 'self_pay'], [45, 38, 17]);
      landing.add('outpatient_visits', dt, [visitId, dt, emergency ? 'emergency' : 'outpatient', dept.campus, dept.id, doc.id, patient, insurance,
        ...feeFields('outpatient_visits', lines, insurance)]);
      totals(month, dept.id).visits++;
      bookLines(month, dept.id, lines);
      if (day >= chargeFromDay) emitLines(dt, 'outpatient', visitId, patient, dept.id, lines);
    }
  }
}

/** Every day from the warm-up (wards filled before the first night) to the end date, each night's files written as it ends. */
export function simulateDays(r: Run, m: Model, b: Books): void {
  const { opts, startDay, endDay, landing } = r;
  const adm = caseAdmitter(r, m);
  const emitLines = lineEmitter(r, b);
  const warmup = 75;
  const total = endDay - startDay + 1;
  for (let day = startDay - warmup; day <= endDay; day++) {
    const dt = fromDayNumber(day);
    const dayRng = new Rng(opts.seed, 'day', day);
    wardDay(r, m, b, adm, emitLines, day);
    if (day < startDay) continue;
    clinicDay(r, m, b, emitLines, day, dayRng);
    landing.flush(dt);
    opts.onProgress?.(day - startDay + 1, total);
  }
}

/**
 * The analyst's explorer over a hand-made lake (tests/support/explore-hospital.ts, newest night 2024-03-10): every
 * dimension family and comparison with values worked out by hand from the fixture's rows, a partial month and a leap
 * day; the rows behind a figure, paged; exports read back with an independent XLSX reader; and a corpus of hostile
 * inputs, each refused with a clear 400 before any query runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import readXlsxFile from 'read-excel-file/node';
import { createApp } from '../../functions/api/app.ts';
import type { ExploreDetailResponse, ExploreResponse } from '../../functions/api/contract.ts';
import { QueryLimitError, type QueryEngine } from '../../functions/ports.ts';
import { withToken } from '../support/access.ts';
import { exploreApi, type exploreHospital } from '../support/explore-hospital.ts';

let h: Awaited<ReturnType<typeof exploreHospital>>;
let app: ReturnType<typeof createApp>;
let analyst: string;
let director: string;
let queries: () => number;

beforeAll(async () => {
  ({ h, app, analyst, director, queries } = await exploreApi());
}, 60_000);
afterAll(() => h.dispose());

const get = (path: string, token = analyst) => app.request(path, withToken(token));
async function ask(query: string): Promise<ExploreResponse> {
  const res = await get(`/api/explore?${query}`);
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(200);
  return body as ExploreResponse;
}
const rows = (r: ExploreResponse) => Object.fromEntries(r.rows.map((x) => [x.key ?? 'null', x.value]));
const compared = (r: ExploreResponse) => Object.fromEntries(r.rows.map((x) => [x.key ?? 'null', [x.value, x.compare, x.change]]));

describe('periods and comparisons', () => {
  it('a partial month compares with the same calendar days a year and a month earlier', async () => {
    // March 2024 to the 10th: outpatient (not emergency) visits V06 (D1) and V07 (D2); 1–10 March 2023: V02 (D1).
    const yoy = await ask('kpi=outpatient_visits&dim=department&period=month&date=2024-03-10&compare=yoy');
    expect(yoy.period).toMatchObject({ from: '2024-03-01', to: '2024-03-31', dataTo: '2024-03-10', partial: true, days: 10, daysInPeriod: 31 });
    expect(yoy.comparison).toMatchObject({ kind: 'yoy', from: '2023-03-01', to: '2023-03-10', changeKind: 'relative' });
    expect(yoy.total).toMatchObject({ value: 2, compare: 1, change: 1 });
    expect(compared(yoy)).toEqual({ D1: [1, 1, 0], D2: [1, 0, null] });
    expect(yoy.rows.map((r) => r.zh)).toEqual(['心内科', '骨科']);
    expect(yoy.warnings[0]!.zh).toContain('数据截至 2024-03-10（10/31 天）');
    // 1–10 February 2024: V03.
    const mom = await ask('kpi=outpatient_visits&period=month&date=2024-03-10&compare=mom');
    expect(mom.comparison).toMatchObject({ from: '2024-02-01', to: '2024-02-10' });
    expect(mom.total).toMatchObject({ value: 2, compare: 1, change: 1 });
  });

  it('a leap day compares with 28 February; a whole leap February with the whole February before', async () => {
    // 29 Feb 2024: V04 300 + V05 100 + case Z02 5000 = 5400; 28 Feb 2023: V01 100.
    const day = await ask('kpi=medical_revenue&period=day&date=2024-02-29&compare=yoy');
    expect(day.comparison).toMatchObject({ from: '2023-02-28', to: '2023-02-28' });
    expect(day.total).toMatchObject({ value: 5400, compare: 100, change: 53 });
    // MoM of a day is the day before: 28 Feb 2024 had nothing.
    expect((await ask('kpi=medical_revenue&period=day&date=2024-02-29&compare=mom')).total).toMatchObject({ value: 5400, compare: 0, change: null });
    // February 2024 (complete: 29 days): V03 100 + V04 300 + V05 100 + Z02 5000 = 5500 against all of February 2023 (V01 100).
    const month = await ask('kpi=medical_revenue&dim=day&period=month&date=2024-02-15&compare=yoy');
    expect(month.period).toMatchObject({ partial: false, days: 29, daysInPeriod: 29 });
    expect(month.comparison).toMatchObject({ from: '2023-02-01', to: '2023-02-28' });
    expect(month.total).toMatchObject({ value: 5500, compare: 100 });
    // By day, each day against the same day a year earlier (the 29th against the 28th).
    expect(compared(month)).toEqual({ '2024-02-01': [100, 0, null], '2024-02-29': [5400, 100, 53] });
  });

  it('a quarter to date compares with the previous quarter to the same day (MoM) and the year before (YoY)', async () => {
    // Q1 2024 to 10 March: discharges Z02 (10 days) and Z03 (6 days): 16 / 2 = 8.0; Q4 2023 had none; Q1 2023 to 10 March: Z01 (5).
    const mom = await ask('kpi=avg_los&dim=doctor_group&period=quarter&date=2024-03-10&compare=mom');
    expect(mom.comparison).toMatchObject({ from: '2023-10-01', to: '2023-12-10' });
    expect(mom.total).toMatchObject({ value: 8, numerator: 16, denominator: 2, compare: null });
    expect(rows(mom)).toEqual({ G2: 10, G1: 6 });
    expect(mom.rows.map((r) => r.zh)).toEqual(['骨科一组', '心内一组']);
    const yoy = await ask('kpi=avg_los&period=quarter&date=2024-03-10&compare=yoy');
    expect(yoy.total).toMatchObject({ value: 8, compare: 5, change: 0.6 });
  });

  it('a year has no month-on-month; YTD runs from 1 January', async () => {
    const res = await get('/api/explore?kpi=medical_revenue&period=year&date=2024-01-01&compare=mom');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { zh: string } }).error.zh).toContain('没有环比');
    const ytd = await ask('kpi=medical_revenue&period=ytd&date=2024-03-10');
    // 2024: outpatient 100 + 300 + 100 + 200 + 200 + 300 = 1200; inpatient 5000 + 3000 = 8000.
    expect(ytd.period).toMatchObject({ from: '2024-01-01', to: '2024-03-10', dataTo: '2024-03-10', partial: false });
    expect(ytd.total.value).toBe(9200);
  });

  it('against target: a fixed target and the catalogue\'s band', async () => {
    // YTD drug revenue: outpatient 30 + 200 + 60 + 100 = 390, inpatient 2000 + 1500 = 3500; 3890 / 9200.
    const drug = await ask('kpi=drug_share&dim=ward&period=ytd&date=2024-03-10&compare=target');
    expect(drug.total.value).toBeCloseTo((3890 / 9200) * 100, 9);
    expect(drug.total).toMatchObject({ numerator: 3890, denominator: 9200, compare: 30 });
    expect(drug.total.change).toBeCloseTo((3890 / 9200) * 100 - 30, 9);
    expect(drug.comparison?.changeKind).toBe('difference');
    // Wards: W1 = Z03 1500 / 3000; W2 = Z02 2000 / 5000; outpatient revenue has no ward: 390 / 1200.
    expect(rows(drug)).toEqual({ W1: 50, W2: 40, null: 32.5 });
    expect(drug.rows.find((r) => r.key === null)).toMatchObject({ zh: '门急诊（不分病区）' });
    // Bed occupancy, 9–10 March 2024: occupied 8 + 6 + 9 + 5 = 28 of 40 open bed-days = 70%, below the 85–93 band by 15 points; D1 17/20 = 85% (inside: 0).
    // Bed turnover, 1–10 March 2024: 1 discharge (Z03, W1) ÷ (40 open bed-days ÷ 10 days = 4 average open beds) = 0.25;
    // W1 1 ÷ (20 ÷ 10) = 0.5, W2 0 ÷ 2 = 0. A year earlier, 1–10 March 2023: Z01 (W1) ÷ (20 ÷ 10) = 0.5; W1 1 ÷ 1 = 1, W2 0.
    const turnover = await ask('kpi=bed_turnover&dim=ward&period=month&date=2024-03-10&compare=yoy');
    expect(turnover.total).toMatchObject({ value: 0.25, numerator: 1, denominator: 4, compare: 0.5, change: -0.5 });
    expect(compared(turnover)).toEqual({ W1: [0.5, 1, -0.5], W2: [0, 0, null] });
    expect(turnover.kpi).toMatchObject({ unitZh: '次', digits: 2, formula: { zh: '出院人数 ÷ （实际开放总床日数 ÷ 日历天数）' } });
    // The census covers 2 of the 10 days (and 1 of the 10 a year earlier): the answer says the figure reads too high.
    expect(turnover.warnings.map((w) => w.en).filter((w) => w.includes('daily average'))).toEqual([
      expect.stringContaining('2024-03-01 to 2024-03-10 has 10 days but data on only 2'),
      expect.stringContaining('2023-03-01 to 2023-03-10 has 10 days but data on only 1'),
    ]);
    // A KPI without a per-day denominator asks nothing more.
    expect((await ask('kpi=bed_occupancy&dim=ward&period=month&date=2024-03-10')).warnings.some((w) => w.en.includes('daily average'))).toBe(false);
    const beds = await ask('kpi=bed_occupancy&dim=department&period=month&date=2024-03-10&compare=target');
    expect(beds.total).toMatchObject({ value: 70, compare: 85, change: -15 });
    expect(compared(beds)).toMatchObject({ D1: [85, 85, 0], D2: [expect.closeTo(55, 12), 85, expect.closeTo(-30, 12)] });
  });

  it('against budget: revenue pro rata for the days of an unfinished month, costs by whole months, adjusted budgets where adjusted', async () => {
    // March 2024 to the 10th: revenue D1 = V06 200 + V08 300 + Z03 3000 = 3500, D2 = V07 200; budgets 31000 and 62000 × 10/31.
    const revenue = await ask('kpi=medical_revenue&dim=department&period=month&date=2024-03-10&compare=budget');
    expect(revenue.total).toMatchObject({ value: 3700, compare: 30000 });
    expect(revenue.total.change).toBeCloseTo((3700 - 30000) / 30000, 12);
    expect(compared(revenue)).toEqual({ D1: [3500, 10000, -0.65], D2: [200, 20000, -0.99] });
    // Q1 2024 direct costs: February 33000 + March 35000 = 68000; personnel 62000 against March's personnel budgets 12400 (adjusted) + 20000.
    const cost = await ask('kpi=direct_cost&dim=cost_element&period=quarter&date=2024-03-10&compare=budget');
    expect(cost.total).toMatchObject({ value: 68000, compare: 32400 });
    expect(compared(cost)).toMatchObject({ personnel: [62000, 32400, expect.closeTo((62000 - 32400) / 32400, 12)], drugs: [3000, null, null], health_materials: [2000, null, null], depreciation: [1000, null, null] });
    expect(cost.warnings.map((w) => w.en).join(' ')).toContain('depreciation, amortisation and the risk fund are not budgeted');
    // A budget is per department: under a campus filter there is none to compare, and the answer says so.
    const campus = await ask('kpi=medical_revenue&period=month&date=2024-03-10&compare=budget&campus=C1');
    expect(campus.total.compare).toBeNull();
    expect(campus.warnings.map((w) => w.zh).join(' ')).toContain('预算只编到科室');
  });
});

describe('dimensions', () => {
  it('income structure: outpatient and inpatient, fee categories, insurance', async () => {
    const source = await ask('kpi=medical_revenue&dim=source&period=month&date=2024-02-01');
    expect(rows(source)).toEqual({ inpatient: 5000, outpatient: 500 });
    // Shares leave with 12 significant digits (functions/domain/output-numbers.ts): 10/11 and 1/11.
    expect(source.rows.map((r) => r.share)).toEqual([0.909090909091, 0.0909090909091]);
    // February 2024 by category: drug 30 + 200 + 2000, material 1000, lab 70, treatment 100, surgery 2000, consultation 40, other 60.
    const fees = await ask('kpi=medical_revenue&dim=fee_category&period=month&date=2024-02-01&compare=yoy');
    expect(rows(fees)).toEqual({ drug: 2230, surgery: 2000, material: 1000, treatment: 100, lab: 70, other: 60, consultation: 40 });
    // February 2023: V01 drug 50, consultation 50.
    expect(fees.rows.find((r) => r.key === 'consultation')).toMatchObject({ zh: '诊察收入', compare: 50, change: -0.2 });
    const insurance = await ask('kpi=outpatient_fee_per_visit&dim=insurance&period=month&date=2024-02-01');
    // Employee V03 100 / 1; resident V04 300 / 1; self-pay V05 100 / 1.
    expect(rows(insurance)).toEqual({ resident: 300, employee: 100, self_pay: 100 });
  });

  it('campus → department → ward → doctor group narrows step by step, each filter a bound parameter', async () => {
    const campus = await ask('kpi=discharges&dim=campus&period=ytd&date=2024-03-10');
    expect(rows(campus)).toEqual({ C1: 1, C2: 1 });
    expect(campus.rows.map((r) => r.zh).sort()).toEqual(['东院区', '本部院区']);
    const dept = await ask('kpi=discharges&dim=department&period=ytd&date=2024-03-10&campus=C1');
    expect(rows(dept)).toEqual({ D1: 1 });
    const ward = await ask('kpi=discharges&dim=ward&period=ytd&date=2024-03-10&campus=C1&department=D1');
    expect(rows(ward)).toEqual({ W1: 1 });
    const group = await ask('kpi=discharges&dim=doctor_group&period=ytd&date=2024-03-10&campus=C1&department=D1&ward=W1');
    expect(rows(group)).toEqual({ G1: 1 });
    expect(group.filters.map((f) => [f.filter, f.value, f.zh])).toEqual([['campus', 'C1', '本部院区'], ['department', 'D1', '心内科'], ['ward', 'W1', '心内一病区']]);
    expect(group.filterable).toContain('doctor_group');
  });

  it('a stock is read at the period\'s end, by day and by month', async () => {
    // In hospital at midnight 10 March 2024: W1 9 + W2 5; 10 March 2023: 6 + 4.
    const wards = await ask('kpi=inpatients&dim=ward&period=month&date=2024-03-10&compare=yoy');
    expect(wards.total).toMatchObject({ value: 14, compare: 10, change: 0.4 });
    expect(rows(wards)).toEqual({ W1: 9, W2: 5 });
    // Q1 2024 by month: February's last census day (the 29th) 7 + 10, March's (the 10th) 14. No February 2023 census: no value, not 0.
    const months = await ask('kpi=inpatients&dim=month&period=quarter&date=2024-03-10&compare=yoy');
    expect(compared(months)).toEqual({ '2024-02': [17, null, null], '2024-03': [14, 10, 0.4] });
    const days = await ask('kpi=admissions&dim=day&period=month&date=2024-03-10');
    expect(rows(days)).toEqual({ '2024-03-09': 1, '2024-03-10': 3 });
  });

  it('operations by grade and day surgery, costs by month', async () => {
    const grade = await ask('kpi=surgeries&dim=surgery_level&period=month&date=2024-03-10&compare=yoy');
    expect(compared(grade)).toEqual({ 2: [1, 0, null], 3: [1, 1, 0], 4: [1, 0, null] });
    expect(grade.rows.map((r) => r.zh)).toEqual(['二级手术', '三级手术', '四级手术']);
    expect(rows(await ask('kpi=surgeries&dim=day_surgery&period=month&date=2024-03-10'))).toEqual({ false: 2, true: 1 });
    expect(rows(await ask('kpi=direct_cost&dim=month&period=year&date=2024-03-10'))).toEqual({ '2024-02': 33000, '2024-03': 35000 });
  });
});

describe('the rows behind a figure', () => {
  it('respects the KPI\'s definition and every filter, paged on the server across outpatient and inpatient rows', async () => {
    const detail = async (q: string) => {
      const res = await get(`/api/explore/detail?${q}`);
      expect(res.status).toBe(200);
      return (await res.json()) as ExploreDetailResponse;
    };
    // The outpatient visits of March (not the emergency visit V08).
    expect((await detail('kpi=outpatient_visits&period=month&date=2024-03-10')).rows.map((r) => r.visit_id)).toEqual(['V06', 'V07']);
    // February's revenue: V03, V04, V05, then Z02; the second page of two.
    const page = await detail('kpi=medical_revenue&period=month&date=2024-02-01&offset=2&limit=2');
    expect(page.total).toBe(4);
    expect(page.rows.map((r) => [r.source, r.visit_id ?? r.case_id])).toEqual([['outpatient', 'V05'], ['inpatient', 'Z02']]);
    expect((await detail('kpi=medical_revenue&period=month&date=2024-02-01&department=D2')).rows.map((r) => r.visit_id ?? r.case_id)).toEqual(['V04', 'Z02']);
    // A ward filter leaves outpatient rows out (they have no ward).
    expect((await detail('kpi=medical_revenue&period=ytd&date=2024-03-10&ward=W1')).rows.map((r) => r.case_id)).toEqual(['Z03']);
    // A stock's rows are the census of the last day.
    expect((await detail('kpi=inpatients&period=month&date=2024-03-10')).rows.map((r) => [r.ward_id, r.occupied_beds])).toEqual([['W1', 9], ['W2', 5]]);
  });
});

describe('exports', () => {
  it('CSV and XLSX hold exactly the table, the XLSX a metadata sheet (read back with an independent reader)', async () => {
    const q = 'kpi=medical_revenue&dim=department&period=month&date=2024-03-10&compare=budget&money=wan';
    const csv = await (await get(`/api/explore?${q}&format=csv`)).text();
    expect(csv.split('\n').filter(Boolean)).toEqual([
      '科室编码 Department code,科室 Department,医疗收入（万元） Medical revenue (10k CNY),占比 Share,对比预算 Against budget,变化率 Change (%)',
      // D1 3500 yuan = 0.35 万元 of 3700 (94.59%) against 10000 (1 万元): −65%; D2 200 against 20000: −99%.
      'D1,心内科 Cardiology,0.35,94.59,1,-65',
      'D2,骨科 Orthopaedics,0.02,5.41,2,-99',
      ',合计 Total,0.37,100,3,-87.67',
    ]);
    const res = await get(`/api/explore?${q}&format=xlsx`);
    expect(res.headers.get('Content-Type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers.get('Content-Disposition')).toContain('medical_revenue-department-2024-03-01-2024-03-10.xlsx');
    const bytes = Buffer.from(await res.arrayBuffer());
    const book = await readXlsxFile(bytes);
    expect(book.map((s) => s.sheet)).toEqual(['medical_revenue-department-2024', '说明 About']);
    expect(book[0]!.data.map((r) => r.map((v) => (v === null ? '' : String(v))).join(','))).toEqual(csv.split('\n').filter(Boolean));
    const meta = Object.fromEntries(book[1]!.data.slice(1).map((r) => [String(r[0]), String(r[1])]));
    expect(meta['指标 KPI']).toBe('医疗收入 Medical revenue (medical_revenue)');
    expect(meta['单位 Unit']).toBe('万元 10k CNY');
    expect(meta['数据截至 Data as of']).toBe('2024-03-10');
    expect(meta['期间 Period']).toContain('2024-03-01 – 2024-03-10 (未结束 partial: 10/31)');
    expect(meta['口径 Definition']).toContain('门急诊收入（按就诊日期）');
    expect(meta['导出人 Exported by']).toBe('赵分析');
  });

  it('exports the rows behind a figure, and text a spreadsheet would run as a formula stays text', async () => {
    const res = await get('/api/explore/detail?kpi=surgeries&period=month&date=2024-03-10&format=xlsx&limit=5000');
    const [table] = await readXlsxFile(Buffer.from(await res.arrayBuffer()));
    expect(table!.data.slice(1).map((r) => r[0])).toEqual(['S1', 'S2', 'S3']);
    const { toCsv } = await import('../../functions/api/explore/export.ts');
    expect(toCsv([['=HYPERLINK("x")', '-2+3', 'ok', -5]])).toBe('"\'=HYPERLINK(""x"")",\'-2+3,ok,-5\n');
  });
});

describe('bounded and cached', () => {
  it('serves an identical query from the cache without touching the engine', async () => {
    const q = '/api/explore?kpi=emergency_visits&dim=campus&period=month&date=2024-02-01';
    const first = (await (await get(q)).json()) as ExploreResponse;
    const before = queries();
    const second = (await (await get(q)).json()) as ExploreResponse;
    expect(first.cached).toBe(false);
    expect(second.cached).toBe(true);
    expect(queries()).toBe(before);
    expect(second.rows).toEqual(first.rows);
  });

  it('caps the rows and says so', async () => {
    const r = await ask('kpi=medical_revenue&dim=day&period=ytd&date=2024-03-10&limit=2');
    expect(r.rows).toHaveLength(2);
    expect(r.truncated).toBe(true);
    expect(r.warnings.at(-1)!.zh).toContain('只显示前 2 行');
  });

  it('a query that runs too long is cancelled with a clear 503', async () => {
    const slow: QueryEngine = { query: async () => { throw new QueryLimitError('查询超过 30000 ms 已中止', 'query exceeded 30000 ms and was cancelled'); }, close: async () => {} };
    const limited = createApp({ snapshots: h.rt.snapshots, store: h.rt.store, engine: slow, clock: h.rt.clock, version: 't', access: h.rt.access });
    const res = await limited.request('/api/explore?kpi=surgeries&period=year&date=2024-01-01&dim=department', withToken(analyst));
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: { code: 'query_limit', zh: expect.stringContaining('请缩短期间或增加筛选条件'), en: expect.stringContaining('shorten the period') } });
  });
});

describe('access', () => {
  it('a director explores their own department only, and does not export', async () => {
    const own = (await (await get('/api/explore?kpi=medical_revenue&dim=ward&period=ytd&date=2024-03-10', director)).json()) as ExploreResponse;
    expect(own.filters.map((f) => f.value)).toEqual(['D1']);
    // D1's YTD: V03 100, V05 100, V06 200, V08 300, Z03 3000.
    expect(own.total.value).toBe(3700);
    expect((await get('/api/explore?kpi=medical_revenue&period=ytd&department=D2', director)).status).toBe(403);
    expect((await get('/api/explore/detail?kpi=medical_revenue&period=ytd&department=D2', director)).status).toBe(403);
    expect((await get('/api/explore?kpi=medical_revenue&period=ytd&format=csv', director)).status).toBe(403);
    const entries = await h.rt.audit.list('2024-03-11', '2024-03-11');
    expect(entries.some((e) => e.action === 'export.explore.xlsx' && e.name === '赵分析')).toBe(true);
  });
});

/** At least 30 hostile inputs: each a 400 naming the problem, with nothing run on the engine. */
const HOSTILE: string[] = [
  "kpi=medical_revenue';DROP TABLE outpatient_visits;--",
  'kpi=revenue',
  'kpi=',
  'kpi=medical_revenue&dim=department_id',
  'kpi=medical_revenue&dim=dt',
  'kpi=medical_revenue&dim=campus;SELECT 1',
  "kpi=medical_revenue&department=D1' OR '1'='1",
  'kpi=medical_revenue&department=D1%00',
  'kpi=medical_revenue&ward=W1)%20UNION%20SELECT%20*%20FROM%20doctors--',
  'kpi=medical_revenue&campus=',
  `kpi=outpatient_visits&doctor=${'A'.repeat(41)}`,
  'kpi=medical_revenue&date=2024-02-30',
  'kpi=medical_revenue&date=2023-02-29',
  'kpi=medical_revenue&date=24-03-01',
  'kpi=medical_revenue&date=2024-03-10T00:00:00',
  "kpi=medical_revenue&date=2024-03-10'--",
  'kpi=medical_revenue&period=week',
  'kpi=medical_revenue&compare=wow',
  'kpi=medical_revenue&limit=100000',
  'kpi=medical_revenue&limit=-1',
  'kpi=medical_revenue&limit=1e3',
  'kpi=medical_revenue&limit=0x10',
  'kpi=medical_revenue&limit=0',
  'kpi=medical_revenue&format=pdf',
  'kpi=medical_revenue&money=usd',
  'kpi=medical_revenue&foo=bar',
  'kpi=medical_revenue&kpi=drug_share',
  "kpi=medical_revenue&source=outpatient'--",
  'kpi=medical_revenue&insurance=vip',
  'kpi=surgeries&surgery_level=5',
  'kpi=surgeries&day_surgery=yes',
  'kpi=outpatient_visits&ward=W1',
  'kpi=outpatient_visits&dim=ward',
  'kpi=direct_cost&period=day',
  'kpi=outpatient_visits&visit_type=emergency',
  'kpi=drug_share&compare=budget',
  'kpi=discharges&compare=target',
  'kpi=medical_revenue&period=year&compare=mom',
  'kpi=medical_revenue&date=2030-01-01',
  'kpi=medical_revenue&dim=day&period=day',
  'kpi=medical_revenue&fee_category=drug',
  'kpi=medical_revenue&__proto__=x',
  'kpi=medical_revenue&constructor=1',
  'kpi=medical_revenue&department[]=D1',
  'kpi=%E2%80%AEmedical_revenue',
];
const HOSTILE_DETAIL: string[] = [
  'kpi=medical_revenue&offset=99999999',
  'kpi=medical_revenue&limit=501',
  'kpi=medical_revenue&limit=50001&format=csv',
  'kpi=medical_revenue&dim=department',
  'kpi=medical_revenue&compare=yoy',
  "kpi=medical_revenue&offset=0;DELETE",
];

describe('hostile input', () => {
  it(`refuses ${HOSTILE.length + HOSTILE_DETAIL.length} hostile queries with a clear 400 and runs nothing`, async () => {
    expect(HOSTILE.length + HOSTILE_DETAIL.length).toBeGreaterThanOrEqual(30);
    const before = queries();
    const wrong: string[] = [];
    for (const [path, list] of [['/api/explore', HOSTILE], ['/api/explore/detail', HOSTILE_DETAIL]] as const) {
      for (const q of list) {
        const res = await get(`${path}?${q}`);
        const body = (await res.json()) as { error?: { code: string; zh: string; en: string } };
        if (res.status !== 400 || body.error?.code !== 'bad_query' || !body.error.zh || !body.error.en) wrong.push(`${path}?${q}: ${res.status} ${JSON.stringify(body).slice(0, 120)}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(queries()).toBe(before);
  });

  it('names the parameter at fault in both languages', async () => {
    const body = (await (await get('/api/explore?kpi=medical_revenue&limit=100000&foo=1')).json()) as { error: { zh: string; en: string } };
    expect(body.error.en).toMatch(/unknown parameter foo/);
    expect(((await (await get('/api/explore?kpi=medical_revenue&date=2024-02-30')).json()) as { error: { en: string } }).error.en).toMatch(/date must be a date YYYY-MM-DD/);
    expect(((await (await get('/api/explore?kpi=outpatient_visits&dim=ward')).json()) as { error: { zh: string } }).error.zh).toBe('门诊人次不能按病区分解（可用：院区、科室、医生、参保类型、月、日）');
  });
});

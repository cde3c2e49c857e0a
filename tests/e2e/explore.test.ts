/**
 * The KPI explorer in Chromium over the hand-made lake: drill three levels, back and forward, a copied link opened in
 * a fresh page gives the same view, and the CSV and XLSX exports hold what the table shows.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import readXlsxFile from 'read-excel-file/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { startServer } from '../../functions/local/server.ts';
import { tokenFor } from '../support/access.ts';
import { launchChromium, serveDemo } from '../support/e2e.ts';
import { exploreHospital } from '../support/explore-hospital.ts';

let h: Awaited<ReturnType<typeof exploreHospital>>;
let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
let token: string;

beforeAll(async () => {
  h = await exploreHospital();
  server = await serveDemo(h.rt);
  browser = await launchChromium();
  token = await tokenFor(h.rt, { sub: 'u-zhao', name: '赵分析', roles: ['analyst'] });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  server?.server.close();
  await h?.dispose();
});

async function open(path: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, reducedMotion: 'reduce', acceptDownloads: true });
  await page.goto(`${server.url}${path}#token=${token}`);
  await page.locator('[data-testid="total"]').waitFor();
  return page;
}

/** The table as shown: each row's cells as text. */
const tableText = (page: Page) => page.$$eval('[data-testid="rows"] tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim())));
const crumbs = async (page: Page) => (await page.locator('[data-testid="crumbs"]').innerText()).replace(/\s+/g, ' ').trim();
/** Waits until the table shows the breakdown by `dim` (the answer for the new URL has arrived). */
async function shows(page: Page, dim: string, firstCell: string): Promise<void> {
  await page.locator(`[data-dim="${dim}"][aria-pressed="true"]`).waitFor();
  await page.locator('[data-testid="rows"] tbody tr td', { hasText: firstCell }).first().waitFor();
}

describe('the KPI explorer in a browser', () => {
  it('drills hospital → campus → department → ward → doctor group, walks back and forward, and a pasted link reproduces the view', async () => {
    const page = await open('/analyst/explore?kpi=medical_revenue&dim=campus&period=ytd&date=2024-03-10&compare=yoy&view=table');
    await shows(page, 'campus', '本部院区');
    // YTD 2024: C2 = V04 300 + V07 200 + Z02 5000; C1 = V03 100 + V05 100 + V06 200 + V08 300 + Z03 3000 (1 Jan–10 Mar 2023: V01 100, V02 200, Z01 2000).
    expect(await tableText(page)).toEqual([
      ['C2 东院区', '5,500', '59.78', '0', '—'],
      ['C1 本部院区', '3,700', '40.22', '2,300', '+60.87%'],
      ['合计', '9,200', '100', '2,300', '+300%'],
    ]);
    await page.locator('[data-key="C1"] button').click();
    await shows(page, 'department', '心内科');
    await page.locator('[data-key="D1"] button').click();
    await shows(page, 'ward', '心内一病区');
    expect(await tableText(page)).toEqual([
      ['W1 心内一病区', '3,000', '81.08', '2,000', '+50%'],
      ['门急诊（不分病区）', '700', '18.92', '300', '+133.33%'],
      ['合计', '3,700', '100', '2,300', '+60.87%'],
    ]);
    await page.locator('[data-key="W1"] button').click();
    await shows(page, 'doctor_group', '心内一组');
    expect(await crumbs(page)).toBe('全院 › 院区 本部院区 › 科室 心内科 › 病区 心内一病区 › 2024年1月1日至03月10日');
    const url = page.url();
    expect(new URL(url).searchParams.toString()).toBe('kpi=medical_revenue&dim=doctor_group&period=ytd&date=2024-03-10&compare=yoy&money=yuan&view=table&campus=C1&department=D1&ward=W1&lang=zh');
    const deepest = await tableText(page);

    // Back goes up a level, forward comes down again.
    await page.goBack();
    await shows(page, 'ward', '心内一病区');
    expect(await crumbs(page)).toBe('全院 › 院区 本部院区 › 科室 心内科 › 2024年1月1日至03月10日');
    await page.goForward();
    await shows(page, 'doctor_group', '心内一组');

    // The copied link in a fresh page: the same table and breadcrumb.
    const fresh = await open(new URL(url).pathname + new URL(url).search);
    await shows(fresh, 'doctor_group', '心内一组');
    expect(await tableText(fresh)).toEqual(deepest);
    expect(await crumbs(fresh)).toBe(await crumbs(page));
    await fresh.close();
    await page.close();
  });

  it('exports exactly the table shown, as CSV and as XLSX', async () => {
    const page = await open('/analyst/explore?kpi=medical_revenue&dim=department&period=month&date=2024-03-10&compare=budget&money=wan&view=table');
    await shows(page, 'department', '心内科');
    const shown = await tableText(page);
    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="export-csv"]').click()]);
    const csv = readFileSync((await csvDownload.path())!, 'utf8').trim().split('\n').map((l) => l.split(','));
    const [xlsxDownload] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="export-xlsx"]').click()]);
    expect(xlsxDownload.suggestedFilename()).toBe('medical_revenue-department-2024-03-01-2024-03-10.xlsx');
    const [sheet] = await readXlsxFile(readFileSync((await xlsxDownload.path())!));
    // The table shows name, value, share, budget, change; the file adds the code first. Numbers as displayed, without separators.
    const plain = (s: string) => (s === '—' ? '' : s.replace(/,/g, '').replace(/%$/, '').replace(/^\+/, ''));
    const fromTable = shown.map((r) => r.slice(1).map(plain));
    expect(csv.slice(1).map((r) => r.slice(2))).toEqual(fromTable);
    expect(sheet!.data.slice(1).map((r) => r.slice(2).map((v) => (v === null ? '' : String(v))))).toEqual(fromTable);
    // 万元 throughout: D1 3500 yuan is 0.35.
    expect(shown[0]).toEqual(['D1 心内科', '0.35', '94.59', '1', '-65%']);
    await page.close();
  });

  it('lets the last row scroll clear of the account bar, on a touch screen too', async () => {
    const page = await browser.newPage({ viewport: { width: 1024, height: 420 }, hasTouch: true, reducedMotion: 'reduce' });
    await page.goto(`${server.url}/analyst/explore?kpi=medical_revenue&dim=department&period=month&date=2024-03-10&view=table#token=${token}`);
    await page.locator('[data-testid="total"]').waitFor();
    await page.locator('main').evaluate((m) => m.scrollTo(0, m.scrollHeight));
    const bar = (await page.locator('[data-testid="account"]').boundingBox())!;
    const last = (await page.locator('[data-testid="rows"] tbody tr').last().boundingBox())!;
    expect(bar.height).toBeGreaterThanOrEqual(44);
    expect(last.y + last.height).toBeLessThanOrEqual(bar.y);
    await page.close();
  });

  it('lists the rows behind the figure under the same filters', async () => {
    const page = await open('/analyst/explore?kpi=medical_revenue&dim=source&period=month&date=2024-02-15&view=table&department=D2');
    await page.locator('[data-testid="show-detail"]').click();
    await page.locator('[data-testid="detail-rows"] tbody tr').first().waitFor();
    const table = await page.$eval('[data-testid="detail-rows"]', (t) => ({
      head: [...t.querySelectorAll('thead th')].map((th) => th.textContent!.trim()),
      rows: [...t.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim())),
    }));
    const col = (name: string) => table.head.indexOf(name);
    // February 2024 in D2: the emergency visit V04 (300) and the discharge Z02 (5000).
    expect(table.rows.map((r) => [r[col('门诊/住院')], r[col('就诊流水号')] || r[col('住院号/病案号')], r[col('医疗费用合计')]])).toEqual([['outpatient', 'V04', '300'], ['inpatient', 'Z02', '5,000']]);
    expect(await page.locator('[data-testid="detail"] .muted').first().innerText()).toContain('1–2 / 2');
    await page.close();
  });
});

describe('the charge-lines explorer in a browser', () => {
  const cells = (page: Page, table: string) => page.$$eval(`[data-testid="${table}"] tbody tr`, (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim())));

  it('drills item → patient → lines, walks back, and the duplicate-charge link shows the lines over the daily limit', async () => {
    const page = await open('/analyst/charges?by=item&from=2024-03-09&to=2024-03-10');
    await page.locator('[data-by="item"][aria-pressed="true"]').waitFor();
    // Items by amount: CT 600 (70.59%), bed fee 150 with one patient-day over its limit, aspirin 100 (5 boxes net of a refund).
    expect(await cells(page, 'rows')).toEqual([
      ['I2 CT 检查', '2', '2.00', '600.00', '70.59', '2', '0'],
      ['I1 床位费', '3', '3.00', '150.00', '17.65', '1', '1'],
      ['I3 阿司匹林', '4', '5.00', '100.00', '11.76', '2', '0'],
    ]);
    expect(await page.locator('[data-testid="over-limit"]').innerText()).toBe('1');
    await page.locator('[data-key="I1"] button').click();
    await page.locator('[data-by="patient"][aria-pressed="true"]').waitFor();
    await page.locator('[data-testid="rows"] [data-key="PZ03"]').waitFor();
    expect(await page.locator('[data-testid="item"]').innerText()).toContain('每日限收 1');
    await page.locator('[data-key="PZ03"] button').click();
    await page.locator('[data-testid="lines"] tbody tr').first().waitFor();
    expect((await cells(page, 'lines')).map((r) => r[0])).toEqual(['CL1', 'CL4', 'CL5']);
    expect(new URL(page.url()).searchParams.toString()).toBe('from=2024-03-09&to=2024-03-10&item=I1&patient=PZ03&by=lines&lang=zh');
    await page.goBack();
    await page.locator('[data-by="patient"][aria-pressed="true"]').waitFor();
    // Removing the item filter widens the view again.
    await page.locator('[data-filter="item"] button').click();
    await page.locator('[data-testid="rows"] [data-key="PX1"]').waitFor();
    // By day: the two nights as a trend above the table (its chart code loads with it).
    await page.locator('[data-by="day"]').click();
    await page.locator('[data-testid="trend"] canvas').waitFor();
    // All nine lines (no filter left): 390 on the 9th, 460 on the 10th with PZ03's bed-fee day over its limit.
    expect(await cells(page, 'rows')).toEqual([['2024-03-09', '3', '390.00', '45.88', '2', '0'], ['2024-03-10', '6', '460.00', '54.12', '3', '1']]);
    // By patient, most patient-days over the limit first: PZ03 (230) before PV07 and PX1 (300 each).
    await page.locator('[data-by="patient"]').click();
    await page.locator('[data-testid="rows"] [data-key="PV07"]').waitFor();
    await page.locator('[data-sort="over"]').click();
    await page.locator('[data-sort="over"][aria-pressed="true"]').waitFor();
    await page.locator('[data-testid="rows"] tbody tr:first-child[data-key="PZ03"]').waitFor();
    expect(new URL(page.url()).searchParams.get('sort')).toBe('over');

    // The duplicate-charge alert's link: that patient's bed-fee lines on that day, over the limit of 1.
    const alert = await open('/analyst/charges?by=lines&from=2024-03-10&to=2024-03-10&patient=PZ03&item=I1');
    await alert.locator('[data-testid="lines"] tbody tr').first().waitFor();
    expect((await cells(alert, 'lines')).map((r) => [r[0], r[2], r[5], r[6], r[7], r[9], r[10]])).toEqual([
      ['CL4', '住院', 'I1 床位费', '床位收入', '1', '50.00', 'D1 心内科'],
      ['CL5', '住院', 'I1 床位费', '床位收入', '1', '50.00', 'D1 心内科'],
    ]);
    expect(await alert.locator('[data-testid="over-limit"]').innerText()).toBe('1');
    const [csv] = await Promise.all([alert.waitForEvent('download'), alert.locator('[data-testid="export-csv"]').click()]);
    expect(csv.suggestedFilename()).toBe('charges-lines-2024-03-10-2024-03-10.csv');
    expect(readFileSync((await csv.path())!, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0])).toEqual(['CL4', 'CL5']);
    await alert.close();
    await page.close();
  });

  it('shows a director their own department\'s charges, the department fixed', async () => {
    const director = await tokenFor(h.rt, { sub: 'u-li', name: '李主任', roles: ['director'], departments: ['D1'] });
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, reducedMotion: 'reduce' });
    await page.goto(`${server.url}/analyst/charges?by=item&from=2024-03-09&to=2024-03-10#token=${director}`);
    await page.locator('[data-testid="rows"] tbody tr').first().waitFor();
    // D1 ordered 50 + 40 + 50 + 50 + 60 − 20 + 20 = 250 of the 850.
    expect(await page.locator('[data-testid="total-amount"]').innerText()).toBe('250.00');
    expect((await page.locator('[data-filter="department"]').innerText()).trim()).toBe('开单科室：D1 心内科');
    expect(await page.locator('[data-filter="department"] button').count()).toBe(0);
    expect(await page.locator('[data-by="department"]').isDisabled()).toBe(true);
    // Exports are for analysts.
    expect(await page.locator('[data-testid="export-csv"]').count()).toBe(0);
    await page.close();
  });
});

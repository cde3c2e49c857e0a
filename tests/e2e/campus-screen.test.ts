/** Real Chromium (Debian's package) opens the campus screen and reads the same figures the API serves. */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../functions/api/app.ts';
import type { CampusScreenResponse } from '../../functions/api/contract.ts';
import { startServer } from '../../functions/local/server.ts';
import { ensureWebBuild, WEB_DIST } from '../../functions/local/web-build.ts';
import { DEMO_END, demoRuntime } from '../support/demo-runtime.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
let ctx: Awaited<ReturnType<typeof demoRuntime>>;
let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium (see .ci/run)`);
  await ensureWebBuild(() => {});
  ctx = await demoRuntime();
  server = await startServer(createApp({ snapshots: ctx.rt.snapshots, clock: ctx.rt.clock, version: 'e2e' }), WEB_DIST, 0);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  page = await browser.newPage({ viewport: { width: 1920, height: 1080 }, reducedMotion: 'reduce' });
});
afterAll(async () => {
  await browser?.close();
  server?.server.close();
  await ctx?.dispose();
});

async function api(scope: string): Promise<CampusScreenResponse> {
  return (await (await fetch(`${server.url}/api/screens/campus?scope=${scope}`)).json()) as CampusScreenResponse;
}

async function shownTiles(): Promise<Record<string, { value: string; text: string }>> {
  return page.$$eval('[data-kpi]', (els) =>
    Object.fromEntries(els.map((e) => [e.getAttribute('data-kpi')!, { value: e.getAttribute('data-value')!, text: e.querySelector('[data-role="value"]')!.textContent!.trim() }])));
}

describe('campus operating screen in Chromium', () => {
  it('shows every tile with the API figures, the as-of date and zh-CN text', async () => {
    await page.goto(`${server.url}/`);
    await page.waitForSelector('[data-kpi="inpatient_fee_per_discharge"]');
    expect(new URL(page.url()).pathname).toBe('/wall/campus');
    const body = await api('hospital');
    const tiles = await shownTiles();
    expect(Object.keys(tiles).sort()).toEqual(body.data.scopes[0]!.tiles.map((t) => t.kpi).sort());
    for (const t of body.data.scopes[0]!.tiles) expect(Number(tiles[t.kpi]!.value)).toBe(t.value);
    // Formatting checked independently: counts with grouping, revenue in 万元 with one decimal.
    const visits = body.data.scopes[0]!.tiles.find((t) => t.kpi === 'outpatient_visits')!.value!;
    expect(tiles.outpatient_visits!.text).toBe(`${visits.toLocaleString('zh-CN')}人次`);
    const revenue = body.data.scopes[0]!.tiles.find((t) => t.kpi === 'medical_revenue')!.value!;
    expect(tiles.medical_revenue!.text).toBe(`${(revenue / 1e4).toLocaleString('zh-CN', { minimumFractionDigits: 1, maximumFractionDigits: 1 })}万元`);
    await expect(page.textContent('[data-testid="freshness"]')).resolves.toContain(`数据截至 ${DEMO_END}`);
    await expect(page.textContent('h1')).resolves.toBe('院区运营大屏');
  });

  it('switches campus and language in place', async () => {
    await page.getByRole('button', { name: '东院区' }).click();
    await page.waitForFunction("new URL(location.href).searchParams.get('scope') === 'C02'");
    const east = await api('C02');
    const eastVisits = east.data.scopes[0]!.tiles.find((t) => t.kpi === 'outpatient_visits')!.value;
    await page.waitForFunction(`document.querySelector('[data-kpi="outpatient_visits"]')?.getAttribute('data-value') === '${eastVisits}'`);
    await page.getByRole('button', { name: 'English' }).click();
    await expect(page.textContent('h1')).resolves.toBe('Campus Operations');
    expect(new URL(page.url()).searchParams.get('lang')).toBe('en');
    const shown = await shownTiles();
    for (const t of east.data.scopes[0]!.tiles) expect(Number(shown[t.kpi]!.value)).toBe(t.value);
  });

  it('keeps the last data on screen and says so when the API goes away', async () => {
    await page.route('**/api/screens/**', (route) => route.abort());
    // A scope switch makes the screen fetch now instead of at its next 5-minute refresh.
    await page.getByRole('button', { name: 'Whole hospital' }).click();
    await page.waitForSelector('.banner');
    await expect(page.textContent('.banner')).resolves.toContain('Offline');
    expect(await page.$$eval('[data-kpi]', (els) => els.length)).toBe(14);
    await page.unroute('**/api/screens/**');
  });
});

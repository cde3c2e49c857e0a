/**
 * The wall soak: a kiosk playlist of every wall screen driven through 500 slide changes in real Chromium (each change
 * mounts a screen and refreshes its data), with heap, DOM nodes and listeners read after forced GC every 100; then the
 * first paint of a wall screen on localhost and the JS a wall route downloads (gzip).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { createApp } from '../../functions/api/app.ts';
import { parseDisplays } from '../../functions/domain/displays.ts';
import { startServer } from '../../functions/local/server.ts';
import { ensureWebBuild, WEB_DIST } from '../../functions/local/web-build.ts';
import { demoRuntime } from '../support/demo-runtime.ts';
import { readMemory, rotate } from '../support/soak.ts';
import { tokenFor } from '../support/access.ts';

/** Every route's page: the JS and CSS it downloads (raw and gzip), on a cold page each. */
const ROUTES = ['/signin', '/wall/campus', '/wall/drg', '/wall/budget', '/wall/alerts', '/tablet/department/D101', '/analyst/explore', '/analyst/drg', '/analyst/budget', '/analyst/quality', '/analyst/alerts', '/admin/audit'];

async function routeSizes(browser: import('playwright-core').Browser, base: string, token: string): Promise<string[]> {
  const out = ['', '| route | JS files | JS gzip | CSS gzip | JS + CSS raw |', '|---|---|---|---|---|'];
  for (const route of ROUTES) {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const files = new Set<string>();
    page.on('response', (r) => { const p = new URL(r.url()).pathname; if (p.startsWith('/assets/')) files.add(p); });
    await page.goto(`${base}${route}${route === '/signin' ? '' : `#token=${token}`}`);
    await page.waitForLoadState('networkidle');
    await page.close();
    const size = (ext: string, zip: boolean) => [...files].filter((f) => f.endsWith(ext)).reduce((s, f) => s + (zip ? gzipSync(readFileSync(join(WEB_DIST, f))).length : readFileSync(join(WEB_DIST, f)).length), 0);
    out.push(`| ${route} | ${[...files].filter((f) => f.endsWith('.js')).length} | ${(size('.js', true) / 1024).toFixed(0)} KB | ${(size('.css', true) / 1024).toFixed(1)} KB | ${((size('.js', false) + size('.css', false)) / 1024).toFixed(0)} KB |`);
  }
  out.push('');
  return out;
}

/** SOAK_ROTATIONS=2000 npm run bench -- soak for a longer run. */
const ROTATIONS = Number(process.env.SOAK_ROTATIONS ?? 500);

export async function soakBench(): Promise<string[]> {
  await ensureWebBuild(() => {});
  const ctx = await demoRuntime();
  const displays = parseDisplays({ version: 1, displays: [{ id: 'soak', zh: '浸泡', en: 'Soak', refreshSeconds: 30, reloadAt: null, slides: [
    // Stepped by key: an hour's dwell keeps the timer out of the measurement.
    { screen: 'campus', dwellSeconds: 3600 }, { screen: 'drg', scope: 'C01', dwellSeconds: 3600 }, { screen: 'budget', dwellSeconds: 3600 }, { screen: 'alerts', dwellSeconds: 3600 }, { screen: 'campus', scope: 'C02', dwellSeconds: 3600 }] }] }, 'bench');
  const server = await startServer(createApp({ snapshots: ctx.rt.snapshots, store: ctx.rt.store, engine: ctx.rt.engine, drgRules: ctx.rt.drgRules, alerts: ctx.rt.alerts, alertRules: ctx.rt.alertRules, displays, timeZone: ctx.rt.timeZone, clock: ctx.rt.clock, version: 'bench', access: ctx.rt.access }), WEB_DIST, 0);
  const leader = await tokenFor(ctx.rt, { roles: ['leadership'] });
  const device = await tokenFor(ctx.rt, { sub: 'display:soak', roles: ['display'], display: 'soak' });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  const out = [`## Wall soak: ${ROTATIONS} slide changes through campus, DRG, budget, alerts and a second campus (real Chromium, CDP after forced GC)`];
  try {
    // First paint and what the wall route downloads, on a cold page.
    const cold = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await cold.addInitScript(`localStorage.setItem('opsdeck.token', ${JSON.stringify(leader)})`);
    const js = new Set<string>();
    cold.on('response', (r) => { if (r.url().endsWith('.js')) js.add(new URL(r.url()).pathname); });
    const t0 = Date.now();
    await cold.goto(`${server.url}/wall/campus`);
    await cold.locator('[data-kpi="outpatient_visits"]').waitFor();
    const tilesMs = Date.now() - t0;
    const fcp = await cold.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null);
    const gz = [...js].reduce((s, p) => s + gzipSync(readFileSync(join(WEB_DIST, p))).length, 0);
    const raw = [...js].reduce((s, p) => s + readFileSync(join(WEB_DIST, p)).length, 0);
    out.push(`wall route /wall/campus: first contentful paint ${fcp === null ? '—' : `${Math.round(fcp)} ms`}, figures on screen after ${tilesMs} ms (localhost, cold cache); JS ${js.size} files, ${(raw / 1024).toFixed(0)} KB, ${(gz / 1024).toFixed(0)} KB gzip`);
    await cold.close();
    out.push(...(await routeSizes(browser, server.url, await tokenFor(ctx.rt, { roles: ['leadership', 'analyst', 'admin'] }))));

    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 }, reducedMotion: 'reduce' });
    await page.goto(`${server.url}/kiosk/soak#token=${device}`);
    await page.locator('[data-testid="kiosk"] [data-testid="freshness"]').waitFor();
    // Warm-up to a steady state (code, data, Svelte's templates, the ticker's later pages), as in the e2e test.
    await rotate(page, 40);
    await page.waitForTimeout(11_000);
    await rotate(page, 40);
    const first = await readMemory(page);
    out.push(`after warm-up: heap ${first.heapMB.toFixed(1)} MB, ${first.nodes} DOM nodes, ${first.listeners} listeners, ${first.documents} documents`);
    const started = Date.now();
    const every = ROTATIONS > 500 ? 250 : 100;
    for (let done = every; done <= ROTATIONS; done += every) {
      await rotate(page, every);
      const m = await readMemory(page);
      out.push(`after ${done}: heap ${m.heapMB.toFixed(1)} MB (${m.heapMB - first.heapMB >= 0 ? '+' : ''}${(m.heapMB - first.heapMB).toFixed(1)}), ${m.nodes} nodes, ${m.listeners} listeners, ${m.documents} documents`);
    }
    out.push(`${ROTATIONS} changes in ${((Date.now() - started) / 1000).toFixed(0)} s (${((Date.now() - started) / ROTATIONS).toFixed(0)} ms each, data included)`, '');
    await page.close();
  } finally {
    await browser.close();
    server.server.close();
    await ctx.dispose();
  }
  return out;
}

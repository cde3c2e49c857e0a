/**
 * The web: the JS and CSS each route downloads (gzip) against a full ECharts import bundled in the same run; the first
 * paint of a wall screen on a cold page, BENCH_RUNS times (default 5) alternating with a bare page of the same origin
 * (what Chromium costs before any of our code); and the wall soak, a kiosk playlist of every wall screen driven through
 * 500 slide changes (each mounts a screen and refreshes its data), heap, DOM nodes and listeners read after forced GC
 * every 100, against the reading after warm-up.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { parseDisplays } from '../../functions/domain/displays.ts';
import { PROJECT_ROOT, WEB_DIST } from '../../functions/local/web-build.ts';
import { demoRuntime } from '../support/demo-runtime.ts';
import { launchChromium, serveDemo } from '../support/e2e.ts';
import { readMemory, rotate, warmUp, type MemoryReading } from '../support/soak.ts';
import { tokenFor } from '../support/access.ts';
import { spread, type Spread } from './datasets.ts';
import type { BenchOutput, SummaryRow } from './summary.ts';

/** Every route's page: the JS and CSS it downloads (raw and gzip), on a cold page each. */
const ROUTES = ['/signin', '/wall/campus', '/wall/drg', '/wall/budget', '/wall/alerts', '/tablet/department/D101', '/analyst/explore', '/analyst/drg', '/analyst/charges', '/analyst/budget', '/analyst/quality', '/analyst/alerts', '/admin/audit'];

interface RouteSize { route: string; jsFiles: number; jsGzip: number; cssGzip: number; raw: number }

/** Bytes of built assets as served: raw, and gzip (each file read once). */
function assetBytes(paths: Iterable<string>): { raw: number; gzip: number } {
  let raw = 0;
  let gzip = 0;
  for (const p of paths) {
    const bytes = readFileSync(join(WEB_DIST, p));
    raw += bytes.length;
    gzip += gzipSync(bytes).length;
  }
  return { raw, gzip };
}

async function routeSizes(browser: Browser, base: string, token: string): Promise<RouteSize[]> {
  const out: RouteSize[] = [];
  for (const route of ROUTES) {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const files = new Set<string>();
    page.on('response', (r) => { const p = new URL(r.url()).pathname; if (p.startsWith('/assets/')) files.add(p); });
    await page.goto(`${base}${route}${route === '/signin' ? '' : `#token=${token}`}`);
    await page.waitForLoadState('networkidle');
    await page.close();
    const jsFiles = [...files].filter((f) => f.endsWith('.js'));
    const js = assetBytes(jsFiles);
    const css = assetBytes([...files].filter((f) => f.endsWith('.css')));
    out.push({ route, jsFiles: jsFiles.length, jsGzip: js.gzip, cssGzip: css.gzip, raw: js.raw + css.raw });
  }
  return out;
}

/** The reference for sizes: every chart type and component of ECharts, as `import * as echarts from 'echarts'` bundles it (minified, gzip). */
async function fullEchartsGzip(): Promise<number> {
  const r = await build({ stdin: { contents: "import * as echarts from 'echarts'; globalThis.echarts = echarts;", resolveDir: PROJECT_ROOT, loader: 'js' }, bundle: true, minify: true, write: false, format: 'esm', logLevel: 'silent' });
  return gzipSync(r.outputFiles[0]!.contents).length;
}

const BARE = '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>bare</title></head><body style="margin:0;background:#0b1526;color:#e8eef7;font:32px system-ui,sans-serif"><h1>运营决策舱 数据截至 2026-03-15</h1></body></html>';
const PAINT_RUNS = Number(process.env.BENCH_RUNS ?? 5);

/** First contentful paint of the wall on a cold context, and of a bare page of the same origin, alternately. */
async function firstPaints(browser: Browser, base: string, token: string): Promise<{ wall: Spread; figures: Spread; bare: Spread }> {
  const wall: number[] = [];
  const figures: number[] = [];
  const bare: number[] = [];
  const fcp = (page: import('playwright-core').Page) => page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN);
  for (let i = 0; i < PAINT_RUNS; i++) {
    const ctx = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const cold = await ctx.newPage();
    await cold.addInitScript(`localStorage.setItem('opsdeck.token', ${JSON.stringify(token)})`);
    const t0 = Date.now();
    await cold.goto(`${base}/wall/campus`);
    await cold.locator('[data-kpi="outpatient_visits"]').waitFor();
    figures.push(Date.now() - t0);
    wall.push(await fcp(cold));
    const ref = await ctx.newPage();
    await ref.route(`${base}/bench-bare`, (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: BARE }));
    await ref.goto(`${base}/bench-bare`);
    await ref.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0);
    bare.push(await fcp(ref));
    await ctx.close();
  }
  return { wall: spread(wall), figures: spread(figures), bare: spread(bare) };
}

/** SOAK_ROTATIONS=2000 npm run bench -- web for a longer soak. */
const ROTATIONS = Number(process.env.SOAK_ROTATIONS ?? 500);

export async function webBench(): Promise<BenchOutput> {
  const ctx = await demoRuntime();
  const displays = parseDisplays({ version: 1, displays: [{ id: 'soak', zh: '浸泡', en: 'Soak', refreshSeconds: 30, reloadAt: null, slides: [
    // Stepped by key: an hour's dwell keeps the timer out of the measurement.
    { screen: 'campus', dwellSeconds: 3600 }, { screen: 'drg', scope: 'C01', dwellSeconds: 3600 }, { screen: 'budget', dwellSeconds: 3600 }, { screen: 'alerts', dwellSeconds: 3600 }, { screen: 'campus', scope: 'C02', dwellSeconds: 3600 }] }] }, 'bench');
  const server = await serveDemo(ctx.rt, displays);
  const leader = await tokenFor(ctx.rt, { roles: ['leadership'] });
  const device = await tokenFor(ctx.rt, { sub: 'display:soak', roles: ['display'], display: 'soak' });
  const browser = await launchChromium();
  const kb = (b: number) => `${(b / 1024).toFixed(0)} KB`;
  try {
    const echartsFull = await fullEchartsGzip();
    const sizes = await routeSizes(browser, server.url, await tokenFor(ctx.rt, { roles: ['leadership', 'analyst', 'admin'] }));
    const paint = await firstPaints(browser, server.url, leader);
    const wallSize = sizes.find((r) => r.route === '/wall/campus')!;
    const out = ['## Web: what each route downloads, the first paint of a wall, and the wall soak (real Chromium)', '',
      `Every route's JS and CSS on a cold page (gzip); the reference is a full ECharts import (\`import * as echarts\`, minified): ${kb(echartsFull)} gzip.`, '',
      '| route | JS files | JS gzip | CSS gzip | JS + CSS raw | JS ÷ full ECharts |', '|---|---|---|---|---|---|',
      ...sizes.map((r) => `| ${r.route} | ${r.jsFiles} | ${kb(r.jsGzip)} | ${(r.cssGzip / 1024).toFixed(1)} KB | ${kb(r.raw)} | ${(r.jsGzip / echartsFull).toFixed(2)} |`), '',
      `/wall/campus on a cold page, ${PAINT_RUNS} runs: first contentful paint ${paint.wall.median.toFixed(0)} ms (${paint.wall.min.toFixed(0)}–${paint.wall.max.toFixed(0)}), figures on screen after ${paint.figures.median.toFixed(0)} ms (${paint.figures.min.toFixed(0)}–${paint.figures.max.toFixed(0)}); `
        + `a bare page of the same origin: first paint ${paint.bare.median.toFixed(0)} ms (${paint.bare.min.toFixed(0)}–${paint.bare.max.toFixed(0)}); the wall's JS ${wallSize.jsFiles} files, ${kb(wallSize.jsGzip)} gzip`, ''];
    const soak = await soakRun(browser, server.url, device);
    out.push(...soak.lines);
    const widest = sizes.reduce((a, b) => (b.jsGzip > a.jsGzip ? b : a));
    const summary: SummaryRow[] = [
      { scale: '—', measure: 'JS a wall route downloads (/wall/campus, gzip)', value: kb(wallSize.jsGzip), reference: `a full ECharts import: ${kb(echartsFull)}`, ratio: wallSize.jsGzip / echartsFull },
      { scale: '—', measure: `JS of the heaviest route (${widest.route}, gzip)`, value: kb(widest.jsGzip), reference: `a full ECharts import: ${kb(echartsFull)}`, ratio: widest.jsGzip / echartsFull },
      { scale: 's', measure: 'first contentful paint of /wall/campus, cold page (figures on screen)', value: `${paint.wall.median.toFixed(0)} ms (${paint.figures.median.toFixed(0)} ms)`, reference: `a bare page of the same origin: ${paint.bare.median.toFixed(0)} ms`, ratio: paint.wall.median / paint.bare.median },
      { scale: 's', measure: `wall heap after ${ROTATIONS} slide changes (DOM nodes, listeners)`, value: `${soak.last.heapMB.toFixed(1)} MB (${soak.last.nodes}, ${soak.last.listeners})`, reference: `after warm-up: ${soak.first.heapMB.toFixed(1)} MB (${soak.first.nodes}, ${soak.first.listeners})`, ratio: soak.last.heapMB / soak.first.heapMB },
    ];
    return { lines: out, figures: { echartsFullGzip: echartsFull, routes: sizes, paint, soak: { first: soak.first, last: soak.last } }, summary };
  } finally {
    await browser.close();
    server.server.close();
    await ctx.dispose();
  }
}

/** ROTATIONS slide changes after a warm-up, memory read after forced GC along the way. */
async function soakRun(browser: Browser, base: string, device: string): Promise<{ lines: string[]; first: MemoryReading; last: MemoryReading }> {
  const out = [`Wall soak: ${ROTATIONS} slide changes through campus, DRG, budget, alerts and a second campus (CDP after forced GC)`, ''];
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 }, reducedMotion: 'reduce' });
  try {
    await page.goto(`${base}/kiosk/soak#token=${device}`);
    // The same steady state as the e2e soak's.
    await warmUp(page);
    const first = await readMemory(page);
    let last = first;
    out.push(`- after warm-up: heap ${first.heapMB.toFixed(1)} MB, ${first.nodes} DOM nodes, ${first.listeners} listeners, ${first.documents} documents`);
    const started = Date.now();
    const every = ROTATIONS > 500 ? 250 : 100;
    for (let done = every; done <= ROTATIONS; done += every) {
      await rotate(page, every);
      last = await readMemory(page);
      out.push(`- after ${done}: heap ${last.heapMB.toFixed(1)} MB (${last.heapMB - first.heapMB >= 0 ? '+' : ''}${(last.heapMB - first.heapMB).toFixed(1)}), ${last.nodes} nodes, ${last.listeners} listeners, ${last.documents} documents`);
    }
    out.push(`- ${ROTATIONS} changes in ${((Date.now() - started) / 1000).toFixed(0)} s (${((Date.now() - started) / ROTATIONS).toFixed(0)} ms each, data included)`, '');
    return { lines: out, first, last };
  } finally {
    await page.close();
  }
}

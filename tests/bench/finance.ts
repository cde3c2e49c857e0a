/**
 * Budget and cost snapshots (the budget screen and one director's view per department) at scales m and l: one night,
 * then every night of a month. 400 days of demo data give a whole budget year with last year's November alongside.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDays } from '../../functions/domain/calendar.ts';
import { generateDemoHospital } from '../../functions/local/demo/generate.ts';
import type { Scale } from '../../functions/local/demo/hospital.ts';
import { openLocalRuntime } from '../../functions/local/runtime.ts';
import { PROJECT_ROOT } from '../../functions/local/web-build.ts';
import { aggregateFinance, type ActivityCache } from '../../functions/pipeline/finance.ts';
import { ReportReader } from '../../functions/lake/reports.ts';
import { ingestNights } from '../../functions/pipeline/ingest.ts';
import { landingNights } from '../../functions/pipeline/landing.ts';

const END = '2026-11-22';

async function atScale(scale: Scale): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), `opsdeck-bench-finance-${scale}-`));
  try {
    const t0 = performance.now();
    await generateDemoHospital({ outDir: dir, seed: 20240101, scale, endDate: END, days: 400, regionDir: join(PROJECT_ROOT, 'data', 'regions', 'harbin-2024') });
    const rt = await openLocalRuntime(dir, { persist: false });
    try {
      const rows = (await ingestNights(rt.ingestDeps, await landingNights(rt.store), { concurrency: 3 })).reduce((s, r) => s + r.totals.rowsRead, 0);
      const setup = (performance.now() - t0) / 1000;
      const deps = { ...rt.aggregateDeps, alertRules: rt.alertRules };
      const first = await aggregateFinance(deps, END);
      const warm = await aggregateFinance(deps, END);
      const month: number[] = [];
      const t1 = performance.now();
      // A backfill as `opsdeck aggregate --from --to` runs it: one report reader, the closed months read once a month.
      const reports = new ReportReader(rt.store);
      const cache: ActivityCache = new Map();
      for (let d = addDays(END, -29); d <= END; d = addDays(d, 1)) month.push((await aggregateFinance(deps, d, reports, cache)).elapsedMs);
      const total = (performance.now() - t1) / 1000;
      const budget = await rt.snapshots.latest('budget', 'hospital');
      const detail = await rt.snapshots.latest('budget-lines', 'hospital');
      const sizes: number[] = [];
      for (const id of (budget!.data as { departments: { id: string }[] }).departments.map((x) => x.id)) sizes.push(JSON.stringify((await rt.snapshots.latest('department', id))!.data).length);
      const rec = first.reconciliation!;
      const heap = process.memoryUsage();
      return [
        `## Budget and cost snapshots at scale ${scale} (400 nights, ${rows.toLocaleString('en')} rows)`,
        `setup (generate + ingest): ${setup.toFixed(0)} s`,
        `one night (${first.snapshots} snapshots: the budget screen, its lines and ${first.snapshots - 2} department views): ${(first.elapsedMs / 1000).toFixed(2)} s, warm ${(warm.elapsedMs / 1000).toFixed(2)} s`,
        `a month of nights (${month.length} × ${first.snapshots} = ${month.length * first.snapshots} snapshots): ${total.toFixed(1)} s, ${(total / month.length).toFixed(2)} s a night (slowest ${(Math.max(...month) / 1000).toFixed(2)} s)`,
        `allocation ${rec.months[0]} → ${rec.months.at(-1)}: direct ${(rec.directCents / 100).toFixed(2)} CNY, clinical full cost ${(rec.fullCents / 100).toFixed(2)} CNY, difference ${rec.fullCents - rec.directCents} cents`,
        `snapshot sizes: budget screen ${(JSON.stringify(budget!.data).length / 1024).toFixed(0)} KB, budget lines ${(JSON.stringify(detail!.data).length / 1024).toFixed(0)} KB; department views ${(Math.min(...sizes) / 1024).toFixed(0)}–${(Math.max(...sizes) / 1024).toFixed(0)} KB (DynamoDB item limit 400 KB)`,
        `heap after: ${(heap.heapUsed / 2 ** 20).toFixed(0)} MB used, RSS ${(heap.rss / 2 ** 20).toFixed(0)} MB`,
        '',
      ];
    } finally {
      await rt.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function financeBench(): Promise<string[]> {
  return [...(await atScale('m')), ...(await atScale('l'))];
}

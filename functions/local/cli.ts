#!/usr/bin/env -S npx tsx
/**
 * `opsdeck` — the local command line: generate a demo hospital, ingest, aggregate, serve, or all of it (`start`).
 */
import { badRequest, UserError } from '../domain/user-error.ts';
import { isCurrentSnapshot } from '../domain/screens.ts';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { addDays, isIsoDate } from '../domain/calendar.ts';
import { createApp } from '../api/app.ts';
import { NightsFailedError, ingestNights } from '../pipeline/ingest.ts';
import { pendingNights, scanLanding, type LandingIndex } from '../pipeline/landing.ts';
import { latestDailyNight } from '../lake/reports.ts';
import { aggregateCampusScreen, aggregateNight, recomputeStale } from '../pipeline/aggregate.ts';
import { aggregateDrgRange } from '../pipeline/drg.ts';
import { aggregateFinance } from '../pipeline/finance.ts';
import type { AlertRunResult } from '../pipeline/alerts.ts';
import { assessQuality, ReportReader } from '../lake/reports.ts';
import { generateDemoHospital } from './demo/generate.ts';
import { type DemoManifest } from './demo/demo-common.ts';
import { SCALES, type Scale } from './demo/hospital.ts';
import { Progress } from './progress.ts';
import { assertPortFree, defaultDataDir, openLocalRuntime, REGION_DIR, type LocalRuntime } from './runtime.ts';
import { withPipelineLock } from './store-owner.ts';
import { startServer } from './server.ts';
import { ensureWebBuild, PROJECT_ROOT, WEB_DIST } from './web-build.ts';

// The AWS SDK warns on Node 20 that its 2027 releases will need Node 22; the pinned release runs fine on the Node 20 we target.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const VERSION = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')).version as string;
const DEFAULT_SEED = 20240101;
const log = (s: string): void => void process.stderr.write(`${s}\n`);

const HELP = `opsdeck ${VERSION} — 运营决策舱 OpsDeck

用法 usage: opsdeck <command> [options]

  start      [--port N] [--reset] [--scale s|m|l]   生成（如无）→ 导入 → 汇总 → 启动服务 / generate if missing, ingest, aggregate, serve
  generate   [--out DIR] [--scale s|m|l] [--days N] [--seed N] [--end YYYY-MM-DD]
                                                    生成演示医院的夜间抽取文件 / write a demo hospital's nightly extracts into DIR/landing
  ingest     [--date D | --from D1 --to D2] [--all]  导入新到或有变化的夜间数据（或指定日期） / ingest new or changed nights (or the given ones)
  ingest     --check FILE [--table T] [--date D]    只校验一个抽取文件，不写入 / validate one extract without writing anything
                                                    (exit 0 all rows pass, 2 rows rejected, 3 file refused)
  aggregate  [--as-of D | --from D1 --to D2]        计算大屏快照（默认最新一晚） / compute screen snapshots (default: newest night;
                                                    a range recomputes every night in it, e.g. after the region's DRG rules change)
  serve      [--port N]                             启动本地服务 / serve the API and dashboard
  region     [--dir DIR] [--date D]                 载入地区配置（DRG 分组权重、费率、标杆、规则） / load a region folder (DRG weights,
                                                    base rates, benchmarks, rules), checked whole first; default the shipped demo region
  token      --role ROLE[,ROLE] [--department ID[,ID]] [--display ID] [--name N] [--days N]
                                                    签发本地令牌（脚本或大屏设备用） / print a locally signed token (scripts, wall displays)
  token      --revoke TOKEN_ID                      吊销令牌（如丢失的大屏设备） / revoke a token (e.g. a lost display's)
  docs                                              由数据契约生成 docs/data-contract.md / regenerate the data-contract page

数据目录 data folder: $OPSDECK_DATA or ./.opsdeck     端口 port: $PORT, --port or 8080
`;

/** Stops with the error in both languages (a UserError's zh and en on their own lines, with its file, line and field). */
function fail(error: unknown): never {
  log(`错误 error: ${error instanceof UserError ? error.text() : error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

function parseScale(v: string | undefined): Scale {
  const s = (v ?? 'm') as Scale;
  if (!(s in SCALES)) fail(badRequest(`--scale 只能是 s、m 或 l（收到 "${v}"）`, `--scale must be s, m or l (got "${v}")`, 'bad_argument'));
  return s;
}

function parseDate(v: string | undefined, flag: string): string | undefined {
  if (v === undefined) return undefined;
  if (!isIsoDate(v)) fail(badRequest(`${flag} 应为 YYYY-MM-DD 格式的有效日期（收到 "${v}"）`, `${flag} must be a valid date YYYY-MM-DD (got "${v}")`, 'bad_argument'));
  return v;
}

function parsePort(v: string | undefined): number {
  const raw = v ?? process.env.PORT ?? '8080';
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(badRequest(`端口无效 "${raw}"`, `Invalid port "${raw}"`, 'bad_argument'));
  return port;
}

async function generate(dataDir: string, o: { scale: Scale; days?: number; seed: number; end?: string }, clock: { today(): string }): Promise<DemoManifest> {
  const end = o.end ?? addDays(clock.today(), -1);
  const days = o.days ?? SCALES[o.scale].days;
  const progress = new Progress('生成 generate', days, 'days');
  const manifest = await generateDemoHospital({
    outDir: dataDir, seed: o.seed, scale: o.scale, endDate: end, days, regionDir: REGION_DIR,
    onProgress: (done) => progress.update(done),
  });
  writeFileSync(join(dataDir, 'demo-manifest.json'), JSON.stringify(manifest, null, 2));
  const rows = Object.values(manifest.rows).reduce((s, n) => s + n, 0);
  progress.finish(`${rows.toLocaleString('en')} rows, ${manifest.startDate} → ${manifest.endDate}, scale ${o.scale}`);
  return manifest;
}

/** Lists landing once: names the entries no night will read, and returns the index of the nights. */
async function scanAndTell(rt: LocalRuntime): Promise<LandingIndex> {
  const { index, problems } = await scanLanding(rt.store);
  for (const p of problems) log(`导入 ingest ⚠ ${p.key}：${p.zh} / ${p.en}`);
  return index;
}

async function ingest(rt: LocalRuntime, nights: string[]): Promise<void> {
  if (nights.length === 0) {
    log('导入 ingest ✓ 没有新的夜间数据 / no new nights');
    return;
  }
  const progress = new Progress('导入 ingest', nights.length, 'nights');
  const started = performance.now();
  let rows = 0;
  let rejected = 0;
  let failed: NightsFailedError | undefined;
  await ingestNights(rt.ingestDeps, nights, {
    concurrency: 3,
    onNight: (report, done) => {
      rows += report.totals.rowsRead;
      rejected += report.totals.rejected;
      progress.update(done, `${report.dt} · ${rows.toLocaleString('en')} rows`);
    },
  }).catch((e: unknown) => {
    if (!(e instanceof NightsFailedError)) throw e;
    failed = e;
  });
  if (failed) {
    progress.finish(`${failed.landed} of ${nights.length} nights`);
    log(`导入 ingest ✗ ${failed.message}`);
    process.exitCode = 1;
    return;
  }
  progress.finish(`${nights.length} nights, ${rows.toLocaleString('en')} rows read, ${rejected} rejected (see quarantine/ and reports/ingest/), ${Math.round(rows / Math.max(0.001, (performance.now() - started) / 1000)).toLocaleString('en')} rows/s`);
}

/** The night's alert run; new P1 alerts are printed in full (the local stand-in for the SNS notification on AWS). */
function logAlerts(r: AlertRunResult): void {
  const bySeverity = (sev: string) => r.evaluation.findings.filter((f) => f.severity === sev).length;
  log(`预警 alerts ✓ ${r.evaluation.results.length} rules in ${(r.elapsedMs / 1000).toFixed(2)}s: ${r.evaluation.findings.length} findings (P1 ${bySeverity('P1')}, P2 ${bySeverity('P2')}, P3 ${bySeverity('P3')}); ${r.opened.length} new, ${r.reopened} reopened, ${r.autoResolved} resolved automatically${r.recordedAsHistory ? `, ${r.recordedAsHistory} in past data recorded as history` : ''}`);
  for (const x of r.evaluation.results.filter((x) => x.result.skipped)) log(`  · ${x.rule.id}: ${x.result.skipped!.en}`);
  for (const a of r.opened.filter((a) => a.severity === 'P1')) log(`  ✖ P1 ${a.zh}\n       ${a.en}`);
}

/** Re-aggregates the snapshots that late corrections made stale. */
async function recompute(rt: LocalRuntime): Promise<void> {
  const { nights, recomputed } = await recomputeStale(rt.aggregateDeps);
  if (recomputed.length) log(`更正 corrections ✓ ${nights.join(', ')} changed: recomputed ${recomputed.length} snapshot date(s)${recomputed.length ? ` (${recomputed[0]} → ${recomputed.at(-1)})` : ''}`);
}

/** One line on the data quality of the newest night. */
async function qualityLine(rt: LocalRuntime): Promise<void> {
  const q = await assessQuality(rt.store);
  if (!q) return;
  const icon = q.status === 'ok' ? '✓' : q.status === 'warn' ? '⚠' : '✗';
  log(`数据质量 data quality ${icon} ${q.date}: ${q.issues.length ? q.issues.slice(0, 3).map((i) => `[${i.severity}] ${i.en}`).join('; ') : 'all sources arrived, complete and on time'}${q.issues.length > 3 ? ` (+${q.issues.length - 3} more)` : ''}`);
}

async function aggregate(rt: LocalRuntime, asOf: string | undefined): Promise<string> {
  const night = asOf ?? (await latestDailyNight(rt.store));
  if (!night) fail(badRequest('还没有导入任何夜间数据，请先运行 opsdeck ingest', 'Nothing has been ingested yet: run opsdeck ingest first', 'bad_argument'));
  if (!asOf) await catchUp(rt, night);
  const { campus, drg, finance, alerts } = await aggregateNight(rt.aggregateDeps, night);
  log(`汇总 aggregate ✓ as of ${night}: ${campus.snapshots} campus snapshots (${(campus.elapsedMs / 1000).toFixed(2)}s), ${drg.snapshots} DRG snapshots from ${drg.cases.toLocaleString('en')} cases (${(drg.elapsedMs / 1000).toFixed(2)}s), ${finance.snapshots} budget and department snapshots (${(finance.elapsedMs / 1000).toFixed(2)}s)`);
  const rec = finance.reconciliation;
  if (rec) log(`成本分摊 cost allocation ${rec.directCents === rec.fullCents ? '✓' : '✗'} ${rec.months[0]} → ${rec.months.at(-1)}: direct ${(rec.directCents / 100).toLocaleString('en', { minimumFractionDigits: 2 })} CNY = clinical full cost ${(rec.fullCents / 100).toLocaleString('en', { minimumFractionDigits: 2 })} CNY`);
  if (alerts) logAlerts(alerts);
  return night;
}

/**
 * The nights a plain `aggregate` must not skip: those since the newest snapshot (a run missed while the server was
 * down, a backfill of recent nights) are computed; nights before the first snapshot (years of history loaded at once)
 * are named with the command that computes them, since that can take a while.
 */
async function catchUp(rt: LocalRuntime, newest: string): Promise<void> {
  const dates = await rt.snapshots.listAsOf('campus', 'hospital', 100_000);
  const last = dates[0];
  if (last && last < addDays(newest, -1)) await aggregateRange(rt, addDays(last, 1), addDays(newest, -1));
  const reported = (await rt.store.list('reports/ingest/')).map((o) => /dt=(\d{4}-\d{2}-\d{2})\.json$/.exec(o.key)?.[1]).filter((d): d is string => !!d).sort();
  const first = dates.at(-1) ?? newest;
  const before = reported.filter((d) => d < first);
  if (before.length > 0) {
    log(`汇总 aggregate ⚠ ${before[0]} 至 ${addDays(first, -1)} 的夜间还没有大屏快照（大屏和平板按日期查看时为空）；计算它们：opsdeck aggregate --from ${before[0]} --to ${addDays(first, -1)} / ` +
      `nights ${before[0]} to ${addDays(first, -1)} have no screen snapshots yet (walls and tablets show nothing for those dates): compute them with opsdeck aggregate --from ${before[0]} --to ${addDays(first, -1)}`);
  }
}

/** Every night's snapshots in [from, to]: campus night by night, DRG from one read of the cases. */
async function aggregateRange(rt: LocalRuntime, from: string, to: string): Promise<void> {
  const nights: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) nights.push(d);
  const progress = new Progress('汇总 aggregate', nights.length, 'nights');
  const reports = new ReportReader(rt.store);
  const activity = new Map(); // the closed months' activity, read once per month of nights
  for (const [i, night] of nights.entries()) {
    await aggregateCampusScreen(rt.aggregateDeps, night, reports);
    await aggregateFinance({ ...rt.aggregateDeps, alertRules: rt.alertRules }, night, reports, activity);
    progress.update(i + 1, `campus, budget and departments ${night}`);
  }
  const drg = await aggregateDrgRange(rt.aggregateDeps, nights);
  progress.finish(`${nights.length} nights ${from} → ${to}: campus, budget, department and ${drg.snapshots} DRG snapshots (DRG ${(drg.elapsedMs / 1000).toFixed(1)}s from ${drg.cases.toLocaleString('en')} cases)`);
}

async function serve(rt: LocalRuntime, port: number): Promise<void> {
  const app = createApp(rt.api(VERSION));
  // Behind a reverse proxy the hospital names this server by its own host name: list it (host:port) in OPSDECK_ALLOWED_HOSTS.
  const allowedHosts = (process.env.OPSDECK_ALLOWED_HOSTS ?? '').split(',').map((h) => h.trim()).filter(Boolean);
  const { url, server } = await startServer(app, WEB_DIST, port, '127.0.0.1', allowedHosts);
  const users = rt.demoUsers.map((u) => `${u.name}（${u.roles.join('+')}${u.departments.length ? ` ${u.departments.join(',')}` : ''}）`).join('、');
  log(`\n运营决策舱已启动 OpsDeck is running:\n  登录 sign in                  ${url}/signin${users ? `   演示用户 demo users: ${users}` : ''}\n  院区运营大屏 campus screen    ${url}/wall/campus\n  DRG 病种成本大屏 DRG screen   ${url}/wall/drg\n  预算执行大屏 budget screen     ${url}/wall/budget\n  运营预警大屏 alerts board      ${url}/wall/alerts\n  科室主任平板 director tablet   ${url}/tablet/department\n  预算分析 budget analysis      ${url}/analyst/budget\n  数据质量 data quality         ${url}/analyst/quality\n  指标分析 KPI explorer         ${url}/analyst/explore\n  DRG 分析 DRG explorer         ${url}/analyst/drg\n  预警 alerts                   ${url}/analyst/alerts\n  审计日志 audit log            ${url}/admin/audit\n  大屏轮播 kiosk playlists      ${rt.displays.map((d) => `${url}/kiosk/${d.id}`).join('  ')}\n                                设备令牌 device token: npm run opsdeck -- token --role display --display ${rt.displays[0]?.id ?? 'ID'}，打开 then open …/kiosk/ID#token=TOKEN\n  API                           ${url}/api/health\n按 Ctrl+C 停止 / press Ctrl+C to stop\n`);
  const stop = async (): Promise<void> => {
    server.close();
    await rt.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

/** The command line's options (every command's, parsed strictly: an unknown option is an error). */
function parseCli(args: string[]) {
  return parseArgs({
    args,
    options: {
      port: { type: 'string' }, reset: { type: 'boolean' }, scale: { type: 'string' }, days: { type: 'string' }, seed: { type: 'string' },
      end: { type: 'string' }, out: { type: 'string' }, date: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' },
      'as-of': { type: 'string' }, all: { type: 'boolean' }, check: { type: 'string' }, table: { type: 'string' },
      dir: { type: 'string' }, role: { type: 'string' }, department: { type: 'string' }, display: { type: 'string' }, name: { type: 'string' }, revoke: { type: 'string' },
    },
    strict: true,
  });
}
type CliValues = ReturnType<typeof parseCli>['values'];

/** What every command is given: the parsed options, the data folder, the demo seed and days. */
interface CliContext {
  values: CliValues;
  dataDir: string;
  seed: number;
  days: number | undefined;
}

async function commandGenerate({ values, dataDir, seed, days }: CliContext): Promise<void> {
  const { SystemClock } = await import('../adapters/system-clock.ts');
  await generate(dataDir, { scale: parseScale(values.scale), days, seed, end: parseDate(values.end, '--end') }, new SystemClock());
}

async function commandIngest({ values, dataDir }: CliContext): Promise<void> {
  if (values.check !== undefined) {
    const { checkExitCode, checkFile, formatCheck, inferTarget } = await import('./check.ts');
    if (!existsSync(values.check)) fail(badRequest(`找不到文件：${values.check}`, `No such file: ${values.check}`, 'bad_argument'));
    const target = inferTarget(values.check, values.table, parseDate(values.date, '--date'));
    if ('error' in target) fail(badRequest(target.error.zh, target.error.en, 'bad_argument'));
    const result = await checkFile(values.check, target, dataDir);
    process.stdout.write(formatCheck(result) + '\n');
    process.exitCode = checkExitCode(result);
    return;
  }
  const date = parseDate(values.date, '--date');
  const from = parseDate(values.from, '--from');
  const to = parseDate(values.to, '--to');
  // One pipeline run at a time; while the dashboard serves, this run uses its DynamoDB (store-owner.ts).
  await withPipelineLock(dataDir, 'ingest', async () => {
    const rt = await openLocalRuntime(dataDir, { say: log });
    try {
      const index = await scanAndTell(rt);
      let nights: string[];
      if (date) nights = [date];
      else if (from || to || values.all) nights = [...index.keys()].sort().filter((d) => (!from || d >= from) && (!to || d <= to));
      else nights = await pendingNights(rt.store, index);
      await ingest(rt, nights);
      await recompute(rt);
    } finally {
      await rt.close();
    }
  }, log);
}

async function commandAggregate({ values, dataDir }: CliContext): Promise<void> {
  const from = parseDate(values.from, '--from');
  const to = parseDate(values.to, '--to');
  const asOf = parseDate(values['as-of'], '--as-of');
  if ((from || to) && (!from || !to || from > to)) fail(badRequest('--from 与 --to 需同时给出且 from ≤ to', 'Give both --from and --to, with from ≤ to', 'bad_argument'));
  await withPipelineLock(dataDir, 'aggregate', async () => {
    const rt = await openLocalRuntime(dataDir, { say: log });
    try {
      await recompute(rt);
      if (from && to) await aggregateRange(rt, from, to);
      else await aggregate(rt, asOf);
    } finally {
      await rt.close();
    }
  }, log);
}

async function commandServe({ values, dataDir }: CliContext): Promise<void> {
  const port = parsePort(values.port);
  await assertPortFree(port);
  await ensureWebBuild(log);
  await serve(await openLocalRuntime(dataDir, { serving: true, say: log }), port);
}

async function commandStart({ values, dataDir, seed, days }: CliContext): Promise<void> {
  const port = parsePort(values.port);
  await assertPortFree(port);
  if (values.reset) {
    log(`重置 reset: 删除 removing ${dataDir}`);
    rmSync(dataDir, { recursive: true, force: true });
  }
  await ensureWebBuild(log);
  const rt = await openLocalRuntime(dataDir, { serving: true, say: log });
  await withPipelineLock(dataDir, 'start', async () => {
    if (!existsSync(join(dataDir, 'demo-manifest.json'))) {
      await generate(dataDir, { scale: parseScale(values.scale), days, seed }, rt.clock);
    }
    await ingest(rt, await pendingNights(rt.store, await scanAndTell(rt)));
    await recompute(rt);
    await qualityLine(rt);
    const newest = await latestDailyNight(rt.store);
    // Missing, or written by an older OpsDeck in another shape (the API would refuse it): compute the night again.
    const current = async (screen: 'campus' | 'drg' | 'budget') => isCurrentSnapshot((await rt.snapshots.get(screen, 'hospital', newest!))?.data);
    if (!newest || !(await current('campus')) || !(await current('drg')) || !(await current('budget'))) await aggregate(rt, newest);
  }, log);
  await serve(rt, port);
}

async function commandRegion({ values, dataDir }: CliContext): Promise<void> {
  const { loadRegion, RegionError } = await import('./region.ts');
  const regionDir = resolve(values.dir ?? REGION_DIR);
  const date = parseDate(values.date, '--date');
  await withPipelineLock(dataDir, 'region', async () => {
    const rt = await openLocalRuntime(dataDir, { say: log });
    try {
      const r = await loadRegion(rt, regionDir, date);
      for (const t of r.tables) log(`地区 region ✓ ${t.table}: ${t.rows} rows, years ${t.years.join(', ')}`);
      log(`地区 region ✓ ${regionDir} 自 ${r.date} 起生效，规则写入 config/drg-rules.json / in force from ${r.date}; rules now config/drg-rules.json`);
      await recompute(rt);
    } catch (e) {
      if (e instanceof RegionError) fail(e);
      throw e;
    } finally {
      await rt.close();
    }
  }, log);
}

async function commandToken({ values, dataDir, days }: CliContext): Promise<void> {
  const { token } = await import('./token.ts');
  try {
    process.stdout.write(`${await token(dataDir, { role: values.role, department: values.department, display: values.display, name: values.name, days, revoke: values.revoke }, log)}\n`);
  } catch (e) {
    fail(e);
  }
}

async function commandDocs(): Promise<void> {
  const { renderContractDocs } = await import('../domain/contract-docs.ts');
  writeFileSync(join(PROJECT_ROOT, 'docs', 'data-contract.md'), renderContractDocs() + '\n');
  log('docs/data-contract.md ✓');
}

/** Each command's function; `help` and unknown commands are main's. */
const COMMANDS: Record<string, (ctx: CliContext) => Promise<void>> = {
  generate: commandGenerate,
  ingest: commandIngest,
  aggregate: commandAggregate,
  serve: commandServe,
  start: commandStart,
  region: commandRegion,
  token: commandToken,
  docs: commandDocs,
};

async function main(): Promise<void> {
  const [command = 'help', ...rest] = process.argv.slice(2);
  const { values } = parseCli(rest);
  const dataDir = values.out ?? defaultDataDir();
  const seed = values.seed === undefined ? DEFAULT_SEED : Number(values.seed);
  const days = values.days === undefined ? undefined : Number(values.days);
  if (!Number.isInteger(seed)) fail(badRequest(`--seed 应为整数`, `--seed must be a whole number`, 'bad_argument'));
  if (days !== undefined && (!Number.isInteger(days) || days < 1)) fail(badRequest(`--days 应为正整数`, `--days must be a positive whole number`, 'bad_argument'));

  const run = COMMANDS[command];
  if (run) return run({ values, dataDir, seed, days });
  switch (command) {
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(HELP);
      return;
    default:
      process.stdout.write(HELP);
      fail(badRequest(`未知命令 "${command}"`, `Unknown command "${command}"`, 'bad_argument'));
  }
}

main().catch((e: unknown) => fail(e));

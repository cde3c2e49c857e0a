/**
 * The fast path for walls and tablets: precomputed snapshots (no SQL on a page load) with an ETag, the department
 * views, and the display playlists.
 */
import type { Context } from 'hono';
import { z } from 'zod';
import { isIsoDate } from '../../domain/calendar.ts';
import { reachesDepartment } from '../../domain/roles.ts';
import { HOSPITAL_SCOPE, isCurrentSnapshot, isWallScreen, SCREENS, type ScreenId, type SnapshotShapes } from '../../domain/screens.ts';
import { badRequest, notAllowed, notFound, UserError } from '../../domain/user-error.ts';
import { playlistShows, type AccessContext } from '../access.ts';
import type { DisplayResponse, DisplaysResponse, ScreenResponse } from '../contract.ts';
import { checked, type ApiApp, type RouteContext } from './context.ts';

const screenQuery = z.object({
  scope: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/).default(HOSPITAL_SCOPE),
  asOf: z.string().refine(isIsoDate).optional(),
});
const departmentQuery = z.object({ asOf: z.string().refine(isIsoDate).optional() });

export function screenRoutes(app: ApiApp, ctx: RouteContext): void {
  const { deps } = ctx;
  const displayOf = (c: AccessContext) => {
    const id = c.get('principal').display;
    return id ? deps.displays?.find((d) => d.id === id) : undefined;
  };

  app.get('/api/screens/:screen', async (c) => {
    const screen = c.req.param('screen');
    if (!isWallScreen(screen)) throw notFound('not_found', `没有这个大屏：${screen}`, `No such screen: ${screen}`);
    const names = SCREENS[screen];
    const { screens } = c.get('grants');
    if (!screens) throw notAllowed(`${names.zh}大屏仅院领导、运营分析和大屏设备可见`, `the ${names.en} screen is for leadership, analysts and wall displays`);
    const q = checked(screenQuery, c.req.query(), '参数错误：scope 为院区编码或 hospital，asOf 为 YYYY-MM-DD 格式的有效日期',
      'Bad query: scope must be a campus code or "hospital", asOf a valid date YYYY-MM-DD');
    if (screens === 'playlist' && !playlistShows(displayOf(c), screen, q.scope)) {
      throw notAllowed(`此大屏设备的轮播中没有 ${names.zh}（${q.scope}）`, `this display's playlist does not show ${names.en} (${q.scope})`);
    }
    return serveSnapshot(ctx, c, screen, q.scope, q.asOf);
  });

  app.get('/api/departments/:id', async (c) => {
    const id = c.req.param('id');
    const parsed = departmentQuery.safeParse(c.req.query());
    if (!/^[A-Za-z0-9_-]{1,40}$/.test(id) || !parsed.success) {
      throw badRequest('参数错误：科室编码为字母数字，asOf 为 YYYY-MM-DD 格式的有效日期', 'Bad query: the department id is a code, asOf a valid date YYYY-MM-DD');
    }
    if (!reachesDepartment(c.get('grants').departments, c.get('principal'), id)) throw notAllowed(`科室 ${id} 不在您的授权范围内`, `department ${id} is outside your scope`);
    return serveSnapshot(ctx, c, 'department', id, parsed.data.asOf);
  });

  app.get('/api/displays', (c) => {
    const level = c.get('grants').displays;
    if (level === 'none') throw notAllowed('大屏配置仅院领导、运营分析、管理员和大屏设备可见', 'display playlists are for leadership, analysts, administrators and the displays');
    const own = c.get('principal').display;
    const body: DisplaysResponse = { timeZone: deps.timeZone ?? 'Asia/Shanghai', displays: (deps.displays ?? []).filter((d) => level === 'all' || d.id === own).map((d) => ({ id: d.id, zh: d.zh, en: d.en, slides: d.slides.length })) };
    c.header('Cache-Control', 'no-cache');
    return c.json(body);
  });

  app.get('/api/displays/:id', (c) => {
    const id = c.req.param('id');
    const level = c.get('grants').displays;
    const own = c.get('principal').display;
    if (level === 'none' || (level !== 'all' && id !== own)) throw notAllowed(`此令牌只对应大屏 ${own ?? '（无）'}`, `this token is bound to display ${own ?? '(none)'}`);
    const display = deps.displays?.find((d) => d.id === id);
    if (!display) {
      const known = (deps.displays ?? []).map((d) => d.id);
      throw notFound('not_found', `没有这个大屏配置：${id}（可用：${known.join('、') || '无'}）`, `No such display: ${id} (configured: ${known.join(', ') || 'none'})`);
    }
    c.header('Cache-Control', 'no-cache');
    return c.json({ timeZone: deps.timeZone ?? 'Asia/Shanghai', servedAt: ctx.now(), display } satisfies DisplayResponse);
  });
}

/** A precomputed snapshot with an ETag (a wall polling an unchanged snapshot gets 304), or a clear 404. */
async function serveSnapshot<S extends ScreenId>(ctx: RouteContext, c: Context, screen: S, scope: string, asOf: string | undefined) {
  const names = SCREENS[screen];
  const snap = await ctx.snapshots.latest(screen, scope, asOf);
  if (!snap) {
    throw notFound('no_snapshot', `没有 ${scope} 在 ${asOf ?? '任何日期'} 及之前的${names.zh}快照，请先运行 opsdeck aggregate`,
      `No ${names.en} snapshot for ${scope} on or before ${asOf ?? 'any date'}: run opsdeck aggregate first`);
  }
  if (!isCurrentSnapshot(snap.data)) {
    throw new UserError(503, 'snapshot_outdated',
      `${scope} 在 ${snap.asOf} 的${names.zh}快照由旧版 OpsDeck 生成，格式与本版本不符，不予显示；请运行 opsdeck aggregate 重新计算（云端：下一次夜间汇总会重算）`,
      `The ${names.en} snapshot for ${scope} on ${snap.asOf} was written by an older OpsDeck in another format and is not shown: run opsdeck aggregate to compute it again (on AWS the next nightly aggregate does)`);
  }
  const etag = `"${screen}-${snap.scope}-${snap.asOf}-${snap.generatedAt}"`;
  c.header('ETag', etag);
  c.header('Cache-Control', 'no-cache');
  if (c.req.header('If-None-Match') === etag) return c.body(null, 304);
  const body: ScreenResponse<SnapshotShapes[S]> = {
    screen, scope, asOf: snap.asOf, generatedAt: snap.generatedAt, servedAt: ctx.now(),
    available: await ctx.snapshots.listAsOf(screen, scope, 60),
    data: snap.data,
  };
  return c.json(body);
}

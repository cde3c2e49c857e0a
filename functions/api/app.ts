/**
 * The HTTP API as one hono app. The same object serves the API Lambda (handlers/api.ts) and the local server.
 * Screens read precomputed snapshots only: no SQL runs on a page load.
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { isIsoDate } from '../domain/calendar.ts';
import { HOSPITAL_SCOPE } from '../domain/campus-screen.ts';
import { KPI_CATALOG } from '../domain/kpi-catalog.ts';
import type { Clock, SnapshotStore } from '../ports.ts';
import type { ApiError, CampusScreenResponse, CampusSnapshotData, CatalogResponse, HealthResponse } from './contract.ts';

export interface ApiDeps {
  snapshots: SnapshotStore;
  clock: Clock;
  version: string;
}

const screenQuery = z.object({
  scope: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/).default(HOSPITAL_SCOPE),
  asOf: z.string().refine(isIsoDate).optional(),
});

function fail(c: Context, status: 400 | 404, code: string, zh: string, en: string) {
  const body: ApiError = { error: { code, zh, en } };
  return c.json(body, status);
}

export function createApp(deps: ApiDeps): Hono {
  const app = new Hono();

  app.get('/api/health', (c) => {
    const body: HealthResponse = { status: 'ok', servedAt: deps.clock.now().toISOString(), version: deps.version };
    return c.json(body);
  });

  app.get('/api/catalog', (c) => {
    const body: CatalogResponse = { kpis: [...KPI_CATALOG] };
    c.header('Cache-Control', 'public, max-age=300');
    return c.json(body);
  });

  app.get('/api/screens/campus', async (c) => {
    const parsed = screenQuery.safeParse(c.req.query());
    if (!parsed.success) {
      return fail(c, 400, 'bad_query', '参数错误：scope 为院区编码或 hospital，asOf 为 YYYY-MM-DD 格式的有效日期',
        'Bad query: scope must be a campus code or "hospital", asOf a valid date YYYY-MM-DD');
    }
    const { scope, asOf } = parsed.data;
    const snap = await deps.snapshots.latest('campus', scope, asOf);
    if (!snap) {
      return fail(c, 404, 'no_snapshot', `没有 ${scope} 在 ${asOf ?? '任何日期'} 及之前的院区运营快照，请先运行 opsdeck aggregate`,
        `No campus snapshot for ${scope} on or before ${asOf ?? 'any date'}: run opsdeck aggregate first`);
    }
    const etag = `"${snap.scope}-${snap.asOf}-${snap.generatedAt}"`;
    c.header('ETag', etag);
    c.header('Cache-Control', 'no-cache');
    if (c.req.header('If-None-Match') === etag) return c.body(null, 304);
    const body: CampusScreenResponse = {
      screen: 'campus', scope, asOf: snap.asOf, generatedAt: snap.generatedAt, servedAt: deps.clock.now().toISOString(),
      available: await deps.snapshots.listAsOf('campus', scope, 60),
      data: snap.data as CampusSnapshotData,
    };
    return c.json(body);
  });

  app.notFound((c) => fail(c, 404, 'not_found', `没有这个接口：${c.req.path}`, `No such endpoint: ${c.req.path}`));
  app.onError((err, c) => {
    console.error(err);
    const body: ApiError = { error: { code: 'internal', zh: '服务器内部错误，请稍后重试', en: 'Internal server error: please retry later' } };
    return c.json(body, 500);
  });
  return app;
}

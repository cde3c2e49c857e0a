/**
 * The HTTP API as one hono app, mounted from its route modules. The same object serves the API Lambda
 * (handlers/api.ts) and the local server. Screens read precomputed snapshots only: no SQL runs on a page load.
 * A route answers, or throws a UserError that becomes `{ error: { code, zh, en, … } }` with its status; anything else
 * thrown is our fault: logged, and a 500 that says only that.
 */
import { Hono } from 'hono';
import { UserError } from '../domain/user-error.ts';
import { authenticate, type AccessVars } from './access.ts';
import { apiCaches } from './cache.ts';
import type { ApiError } from './contract.ts';
import { alertRoutes } from './routes/alerts.ts';
import type { ApiApp, ApiDeps, RouteContext } from './routes/context.ts';
import { exploreRoutes } from './routes/explore.ts';
import { qualityRoutes } from './routes/quality.ts';
import { screenRoutes } from './routes/screens.ts';
import { sessionRoutes } from './routes/session.ts';

export type { ApiDeps } from './routes/context.ts';
export { SERVING_CACHE } from './cache.ts';

export function createApp(deps: ApiDeps): ApiApp {
  const app = new Hono<{ Variables: AccessVars }>();
  const caches = deps.caches ?? apiCaches(deps.clock, deps);
  const ctx: RouteContext = {
    deps, caches, now: () => deps.clock.now().toISOString(),
    snapshots: {
      latest: (screen, scope, atOrBefore) => caches.snapshots.get(`l|${screen}|${scope}|${atOrBefore ?? ''}`, () => deps.snapshots.latest(screen, scope, atOrBefore)),
      listAsOf: (screen, scope, limit) => caches.snapshots.get(`a|${screen}|${scope}|${limit}`, () => deps.snapshots.listAsOf(screen, scope, limit)),
    },
  };
  app.use('/api/*', authenticate(deps.access));
  sessionRoutes(app, ctx);
  screenRoutes(app, ctx);
  exploreRoutes(app, ctx);
  qualityRoutes(app, ctx);
  alertRoutes(app, ctx);
  app.notFound((c) => c.json({ error: { code: 'not_found', zh: `没有这个接口：${c.req.path}`, en: `No such endpoint: ${c.req.path}` } } satisfies ApiError, 404));
  app.onError((err, c) => {
    if (err instanceof UserError) return c.json(err.body() satisfies ApiError, err.status);
    console.error(err);
    return c.json({ error: { code: 'internal', zh: '服务器内部错误，请稍后重试', en: 'Internal server error: please retry later' } } satisfies ApiError, 500);
  });
  return app;
}

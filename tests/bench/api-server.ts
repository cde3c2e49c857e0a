/**
 * The screen API benchmark's server, in a process of its own as on a real host: the scale-s demo hospital (62 nights,
 * aggregated), the app configured as `npm start` configures it (SERVING_CACHE: snapshot reads and alert lists kept).
 * Prints one JSON line with its URL and a leadership token, and stops on SIGTERM.
 */
import { createApp, SERVING_CACHE } from '../../functions/api/app.ts';
import { startServer } from '../../functions/local/server.ts';
import { WEB_DIST } from '../../functions/local/web-build.ts';
import { tokenFor } from '../support/access.ts';
import { demoRuntime } from '../support/demo-runtime.ts';

const ctx = await demoRuntime();
// Every request carries a token the server verifies (signature, expiry, revocation list), as the walls' do.
const token = await tokenFor(ctx.rt, { roles: ['leadership'] });
const server = await startServer(createApp({ snapshots: ctx.rt.snapshots, store: ctx.rt.store, alerts: ctx.rt.alerts, alertRules: ctx.rt.alertRules, ...SERVING_CACHE, clock: ctx.rt.clock, version: 'bench', access: ctx.rt.access }), WEB_DIST, 0);
process.stdout.write(`${JSON.stringify({ url: server.url, token })}\n`);
process.on('SIGTERM', () => {
  server.server.close();
  void ctx.dispose().finally(() => process.exit(0));
});

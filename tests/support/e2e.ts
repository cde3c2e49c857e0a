/** The end-to-end tests' stage: the built web and the demo hospital's API on a local port, and Debian's Chromium. */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { createApp } from '../../functions/api/app.ts';
import type { DisplayConfig } from '../../functions/domain/displays.ts';
import type { LocalRuntime } from '../../functions/local/runtime.ts';
import { startServer } from '../../functions/local/server.ts';
import { ensureWebBuild, WEB_DIST } from '../../functions/local/web-build.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Serves `rt` (with `displays` beside its own) and the built web; builds the web first when it is stale. */
export async function serveDemo(rt: LocalRuntime, displays: readonly DisplayConfig[] = []): Promise<Awaited<ReturnType<typeof startServer>>> {
  await ensureWebBuild(() => {});
  return startServer(createApp({
    snapshots: rt.snapshots, store: rt.store, engine: rt.engine, drgRules: rt.drgRules, alerts: rt.alerts, alertRules: rt.alertRules,
    displays: [...rt.displays, ...displays], targets: rt.targets, timeZone: rt.timeZone, clock: rt.clock, version: 'e2e', access: rt.access,
  }), WEB_DIST, 0);
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium (see .ci/run)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

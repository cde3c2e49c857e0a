/** Builds the web app when its output is missing or older than its sources (so `npm start` needs no extra step). */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const PROJECT_ROOT = resolve(import.meta.dirname, '..', '..');
export const WEB_DIST = join(PROJECT_ROOT, 'web', 'dist');

function newestMtime(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(path).reduce((m, name) => Math.max(m, newestMtime(join(path, name))), s.mtimeMs);
}

export function webBuildIsStale(): boolean {
  let built: number;
  try {
    built = statSync(join(WEB_DIST, 'index.html')).mtimeMs;
  } catch {
    return true;
  }
  // The web imports only types from functions/, which leave nothing in the bundle.
  const sources = ['web/src', 'web/index.html', 'web/vite.config.ts', 'package-lock.json'];
  return sources.some((p) => newestMtime(join(PROJECT_ROOT, p)) > built);
}

export async function ensureWebBuild(log: (s: string) => void): Promise<void> {
  if (!webBuildIsStale()) return;
  const started = performance.now();
  log('构建网页 building the web app…');
  const { build } = await import('vite');
  await build({ configFile: join(PROJECT_ROOT, 'web', 'vite.config.ts'), logLevel: 'warn' });
  log(`网页已构建 web app built (${((performance.now() - started) / 1000).toFixed(1)}s)`);
}

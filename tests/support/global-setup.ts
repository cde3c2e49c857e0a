/**
 * Before any test file: build the web app once when it is stale. The e2e files run two at a time in separate
 * processes; each building into web/dist on its own would race (one deleting the other's output mid-build).
 */
import { ensureWebBuild } from '../../functions/local/web-build.ts';

export default async function setup(): Promise<void> {
  await ensureWebBuild((line) => console.log(line));
}

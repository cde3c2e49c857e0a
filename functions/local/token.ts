/**
 * `opsdeck token`: a locally signed token for a script or a wall display, or the revocation of one. Needs only the data
 * folder's key, roles and displays (not the local DynamoDB), so it runs beside a running `npm start`.
 */
import { join } from 'node:path';
import { LocalFolderStore } from '../adapters/local-folder.ts';
import { SystemClock } from '../adapters/system-clock.ts';
import { LocalTokenAuthority, loadOrCreateKey, revokeToken } from '../adapters/local-tokens.ts';
import type { Principal } from '../domain/roles.ts';
import { loadHospitalConfig } from '../compose/config.ts';

export interface TokenOptions {
  role?: string;
  department?: string;
  display?: string;
  name?: string;
  days?: number;
  revoke?: string;
}

const list = (v: string | undefined): string[] => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);

/** The token (or, with `revoke`, the revoked id); what it is goes to `log`. */
export async function token(dataDir: string, o: TokenOptions, log: (s: string) => void): Promise<string> {
  const store = new LocalFolderStore(dataDir);
  const clock = new SystemClock();
  if (o.revoke) {
    if (!/^[A-Za-z0-9:_-]{1,80}$/.test(o.revoke)) throw new Error(`令牌编号格式不对 / not a token id: ${o.revoke}`);
    const all = await revokeToken(store, o.revoke, clock.now().toISOString());
    log(`已吊销 revoked ${o.revoke} (${all.length} revoked in all; the API refuses it within 30 s)`);
    return o.revoke;
  }
  const { roles, displays } = await loadHospitalConfig(store);
  const asked = list(o.role);
  if (!asked.length) throw new Error(`需要 --role（可选：${roles.map((r) => r.id).join('、')}） / --role is required (one of ${roles.map((r) => r.id).join(', ')})`);
  for (const r of asked) if (!roles.some((x) => x.id === r)) throw new Error(`没有角色 ${r}（可选：${roles.map((x) => x.id).join('、')}） / no role ${r} (roles: ${roles.map((x) => x.id).join(', ')})`);
  const departments = list(o.department);
  for (const d of departments) if (!/^[A-Za-z0-9_-]{1,40}$/.test(d)) throw new Error(`科室编码格式不对 / not a department code: ${d}`);
  if (asked.includes('director') && !departments.length) throw new Error('科室主任需要 --department / a director needs --department ID[,ID]');
  const isDisplay = asked.includes('display');
  if (isDisplay !== Boolean(o.display)) throw new Error('--display 与 --role display 需同时给出 / give --display together with --role display (and only then)');
  if (o.display) {
    if (!displays.some((d) => d.id === o.display)) throw new Error(`没有大屏 ${o.display}（已配置：${displays.map((d) => d.id).join('、')}） / no display ${o.display} (configured: ${displays.map((d) => d.id).join(', ')})`);
  }
  const days = o.days ?? (isDisplay ? 365 : 1);
  const id = o.display ? `display-${o.display}-${clock.now().toISOString().slice(0, 10)}-${Math.random().toString(36).slice(2, 8)}` : undefined;
  const principal: Principal = {
    sub: o.display ? `display:${o.display}` : `cli:${o.name ?? asked.join('+')}`,
    name: o.name ?? (o.display ? `大屏 ${o.display}` : asked.join('+')),
    roles: asked, departments, ...(o.display ? { display: o.display } : {}), ...(id ? { tokenId: id } : {}),
  };
  const authority = new LocalTokenAuthority(loadOrCreateKey(join(dataDir, 'secrets', 'token-key')), store);
  const issued = await authority.issue(principal, days * 86_400);
  log(`令牌 token ${issued.id}: ${asked.join('+')}${departments.length ? ` (${departments.join(', ')})` : ''}${o.display ? `, display ${o.display}` : ''}, valid until ${issued.expiresAt}`);
  if (o.display) log(`在大屏上打开 open on the display: http://<server>/kiosk/${o.display}#token=<the token below>   吊销 revoke: opsdeck token --revoke ${issued.id}`);
  return issued.token;
}

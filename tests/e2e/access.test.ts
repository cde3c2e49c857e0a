/** Signing in as each demo role in Chromium, and seeing only what the role allows; a wall display with its device token. */
import { join } from 'node:path';
import { LocalTokenAuthority, loadOrCreateKey } from '../../functions/adapters/local-tokens.ts';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { startServer } from '../../functions/local/server.ts';
import { launchChromium, serveDemo } from '../support/e2e.ts';
import { token as cliToken } from '../../functions/local/token.ts';
import { demoRuntime } from '../support/demo-runtime.ts';
import { tokenFor } from '../support/access.ts';

let ctx: Awaited<ReturnType<typeof demoRuntime>>;
let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;

beforeAll(async () => {
  ctx = await demoRuntime();
  server = await serveDemo(ctx.rt);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  server?.server.close();
  await ctx?.dispose();
});

async function signInAs(user: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, reducedMotion: 'reduce' });
  await page.goto(`${server.url}/`);
  await page.waitForURL(/\/signin/);
  await page.locator(`[data-user="${user}"]`).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/signin'));
  return page;
}

describe('signing in as each demo role', () => {
  it('offers the demo users of every role, and sends an unsigned visitor there first', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/analyst/alerts?severity=P1`);
    await page.waitForURL(/\/signin\?next=/);
    expect(decodeURIComponent(new URL(page.url()).searchParams.get('next')!)).toBe('/analyst/alerts?severity=P1');
    expect(await page.$$eval('[data-user]', (els) => els.map((e) => e.getAttribute('data-user')))).toEqual(['leader', 'director-d101', 'director-d102', 'analyst', 'admin']);
    // Signing in returns to the page asked for.
    await page.locator('[data-user="analyst"]').click();
    await page.waitForURL(/\/analyst\/alerts/);
    await page.locator('[data-testid="alerts"]').waitFor();
    await expect(page.textContent('[data-testid="account"]')).resolves.toContain('赵分析');
    await page.close();
  });

  it('the president lands on the campus wall, explores without case rows, and cannot read the audit log', async () => {
    const page = await signInAs('leader');
    expect(new URL(page.url()).pathname).toBe('/wall/campus');
    await page.locator('[data-kpi="outpatient_visits"]').waitFor();
    await page.goto(`${server.url}/analyst/drg?level=case`);
    await expect(page.locator('.error').textContent()).resolves.toContain('无权访问');
    await page.goto(`${server.url}/admin/audit`);
    await expect(page.locator('.error').textContent()).resolves.toContain('审计日志仅管理员可查看');
    await page.close();
  });

  it('a director lands on their own department and is refused a peer\'s and the hospital walls', async () => {
    const page = await signInAs('director-d101');
    expect(new URL(page.url()).pathname).toBe('/tablet/department/D101');
    await page.locator('[data-testid="tablet"]').waitFor();
    await page.goto(`${server.url}/tablet/department/D102`);
    await page.getByText('科室 D102 不在您的授权范围内').first().waitFor();
    await page.goto(`${server.url}/wall/budget`);
    await page.getByText('无权访问').first().waitFor();
    expect(await page.locator('[data-kpi]').count()).toBe(0);
    await page.close();
    // A director of two departments picks between their own.
    const two = await signInAs('director-d102');
    expect(new URL(two.url()).pathname).toBe('/tablet/department');
    await two.locator('[data-department]').first().waitFor();
    expect(await two.$$eval('[data-department]', (els) => els.map((e) => e.getAttribute('data-department')))).toEqual(['D102', 'D103']);
    await two.close();
  });

  it('the administrator reads the audit log of what was looked at', async () => {
    const analyst = await tokenFor(ctx.rt, { sub: 'u-zhao', name: '赵分析', roles: ['analyst'] });
    await fetch(`${server.url}/api/explore/drg?level=case&from=2026-03-01&to=2026-03-15&department=D101`, { headers: { Authorization: `Bearer ${analyst}` } });
    const page = await signInAs('admin');
    expect(new URL(page.url()).pathname).toBe('/admin/audit');
    await page.goto(`${server.url}/admin/audit?from=2026-03-16&to=2026-03-16`); // the demo's clock stands on 2026-03-16
    await page.locator('[data-action="explore.drg.case"]').first().waitFor();
    await expect(page.locator('[data-action="explore.drg.case"]').first().textContent()).resolves.toContain('赵分析');
    await page.close();
  });
});

describe('a wall display with its device token', () => {
  it('plays its playlist from a token given once in the fragment, is refused anything else, and can be revoked by id', async () => {
    const token = await cliToken(ctx.dir, { role: 'display', display: 'president' }, () => {});
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 }, reducedMotion: 'reduce' });
    await page.goto(`${server.url}/kiosk/president#token=${token}`);
    await page.locator('[data-testid="kiosk"] [data-testid="freshness"]').waitFor();
    expect(new URL(page.url()).hash).toBe(''); // the token left the address bar
    expect(await page.evaluate("localStorage.getItem('opsdeck.token')")).toBe(token);
    // The same token cannot open another display's playlist or the explorer.
    const other = await fetch(`${server.url}/api/displays/lobby`, { headers: { Authorization: `Bearer ${token}` } });
    expect(other.status).toBe(403);
    expect((await fetch(`${server.url}/api/explore/drg`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(403);
    const id = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).jti as string;
    await cliToken(ctx.dir, { revoke: id }, () => {});
    // The server re-reads the revocation list every 30 s; an authority reading it now refuses the token.
    const fresh = new LocalTokenAuthority(loadOrCreateKey(join(ctx.dir, 'secrets', 'token-key')), ctx.rt.store, undefined, 0);
    await expect(fresh.authenticate({ authorization: `Bearer ${token}` })).rejects.toMatchObject({ reason: 'revoked' });
    await page.close();
  });
});

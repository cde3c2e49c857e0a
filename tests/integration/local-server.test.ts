/**
 * The local server answers only for its own host names (a DNS-rebinding page sends its own Host), offers the demo
 * sign-in on loopback only, and sends the same security headers as CloudFront on every response, JSON included.
 */
import { request } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { cspDirectives } from '../../functions/api/security-headers.ts';
import { startServer } from '../../functions/local/server.ts';

let server: Awaited<ReturnType<typeof startServer>>;
let port: number;
let web: string;
beforeAll(async () => {
  web = mkdtempSync(join(tmpdir(), 'opsdeck-web-'));
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>OpsDeck</title>');
  const api = new Hono();
  api.get('/api/health', (c) => c.json({ ok: true }));
  api.post('/api/auth/demo-signin', (c) => c.json({ token: 'demo' }));
  server = await startServer(api, web, 0, '127.0.0.1', ['opsdeck.hospital.example:8443']);
  port = Number(new URL(server.url).port);
});
afterAll(() => {
  server?.server.close();
  rmSync(web, { recursive: true, force: true });
});

function send(path: string, host: string, method = 'GET'): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers: { Host: host, 'Content-Type': 'application/json' } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => ok({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', fail);
    req.end(method === 'POST' ? '{"user":"u-zhao"}' : undefined);
  });
}

describe('local server', () => {
  it('refuses a request naming another host, the demo sign-in included', async () => {
    for (const host of ['attacker.example', `attacker.example:${port}`, `127.0.0.1.attacker.example:${port}`, `localhost:${port + 1}`]) {
      const res = await send('/api/auth/demo-signin', host, 'POST');
      expect(res.status, host).toBe(421);
      expect(JSON.parse(res.body).error.code).toBe('unknown_host');
      expect(res.body).not.toContain('demo');
    }
    expect((await send('/', 'attacker.example')).status).toBe(421);
  });

  it('answers its loopback names and configured host names; the demo sign-in only on loopback', async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`]) {
      expect((await send('/api/health', host)).status, host).toBe(200);
      expect((await send('/api/auth/demo-signin', host, 'POST')).status, host).toBe(200);
    }
    expect((await send('/api/health', 'opsdeck.hospital.example:8443')).status).toBe(200);
    const demo = await send('/api/auth/demo-signin', 'opsdeck.hospital.example:8443', 'POST');
    expect(demo.status).toBe(403);
    expect(JSON.parse(demo.body).error.en).toContain('this machine only');
  });

  it('sends the security headers on pages, API answers and refusals alike', async () => {
    for (const [path, host] of [['/', `127.0.0.1:${port}`], ['/api/health', `127.0.0.1:${port}`], ['/api/health', 'evil.example']] as const) {
      const { headers } = await send(path, host);
      expect(headers['x-frame-options'], path).toBe('DENY');
      expect(headers['x-content-type-options'], path).toBe('nosniff');
      expect(headers['content-security-policy'], path).toBe(cspDirectives().join('; '));
      expect(headers['content-security-policy'], path).toContain("frame-ancestors 'none'");
      expect(headers['referrer-policy'], path).toBe('strict-origin-when-cross-origin');
    }
  });
});

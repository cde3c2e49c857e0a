/** Serves the API and the built web app on one local port. */
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { SECURITY_HEADERS } from '../api/security-headers.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json', '.woff2': 'font/woff2', '.ico': 'image/x-icon',
};
/** Static files from `webRoot`; any other non-API path gets index.html (client-side routes). */
async function staticResponse(webRoot: string, pathname: string): Promise<Response> {
  const rel = normalize(decodeURIComponent(pathname)).replace(/^(\.\.[/\\])+/, '');
  let file = join(webRoot, rel);
  const isFile = await stat(file).then((s) => s.isFile(), () => false);
  if (!isFile) {
    if (extname(rel)) return new Response('Not found', { status: 404 });
    file = join(webRoot, 'index.html');
  }
  const body = await readFile(file);
  const immutable = rel.startsWith('/assets/');
  return new Response(body, {
    headers: {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    },
  });
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

function refuse(status: number, code: string, zh: string, en: string): Response {
  return new Response(JSON.stringify({ error: { code, zh, en } }), { status, headers: { 'Content-Type': 'application/json; charset=utf-8', ...SECURITY_HEADERS } });
}

/**
 * Serves the API and the web on one port. Only requests naming this server in their Host header are answered
 * (a DNS-rebinding page names its own host): loopback at the bound port, plus `allowedHosts` (host:port, e.g. the
 * hospital's name for this machine, from OPSDECK_ALLOWED_HOSTS). The demo sign-in answers loopback hosts only.
 */
export function startServer(api: { fetch(req: Request): Response | Promise<Response> }, webRoot: string, port: number, host = '127.0.0.1', allowedHosts: readonly string[] = []): Promise<{ server: ServerType; url: string }> {
  let allowed = new Set<string>();
  return new Promise((ok) => {
    const server = serve({
      port, hostname: host,
      fetch: async (req) => {
        const hostHeader = (req.headers.get('host') ?? '').toLowerCase();
        if (!allowed.has(hostHeader)) {
          return refuse(421, 'unknown_host', `此服务器不以“${hostHeader}”的名义提供服务（允许的主机见 OPSDECK_ALLOWED_HOSTS）`,
            `This server does not answer for host "${hostHeader}" (allowed hosts: OPSDECK_ALLOWED_HOSTS)`);
        }
        const { pathname } = new URL(req.url);
        if (pathname.startsWith('/api/auth/demo') && !LOOPBACK.has(hostHeader.replace(/:\d+$/, ''))) {
          return refuse(403, 'forbidden', '演示登录只对本机（127.0.0.1 / localhost）开放', 'The demo sign-in is offered on this machine only (127.0.0.1 / localhost)');
        }
        const res = pathname.startsWith('/api/') ? await api.fetch(req) : await staticResponse(webRoot, pathname);
        for (const [k, v] of Object.entries(SECURITY_HEADERS)) if (!res.headers.has(k)) res.headers.set(k, v);
        return res;
      },
    }, (info) => {
      allowed = new Set([...[...LOOPBACK].map((h) => `${h}:${info.port}`), ...allowedHosts.map((h) => h.toLowerCase())]);
      ok({ server, url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${info.port}` });
    });
  });
}

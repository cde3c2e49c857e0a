/** Serves the API and the built web app on one local port. */
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json', '.woff2': 'font/woff2', '.ico': 'image/x-icon',
};
const SECURITY_HEADERS = {
  'Content-Security-Policy': "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
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
      ...SECURITY_HEADERS,
    },
  });
}

export function startServer(api: { fetch(req: Request): Response | Promise<Response> }, webRoot: string, port: number, host = '127.0.0.1'): Promise<{ server: ServerType; url: string }> {
  return new Promise((ok) => {
    const server = serve({
      port, hostname: host,
      fetch: (req) => {
        const { pathname } = new URL(req.url);
        return pathname.startsWith('/api/') ? api.fetch(req) : staticResponse(webRoot, pathname);
      },
    }, (info) => ok({ server, url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${info.port}` }));
  });
}

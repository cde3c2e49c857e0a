/**
 * The browser security headers, written once: CloudFront's response-headers policy (infra/site.ts) and the local
 * server (functions/local/server.ts) both take them from here, so a laptop serves what AWS serves.
 */

/** Content-Security-Policy directives; `connect` adds origins the page may call (Cognito's on AWS). */
export function cspDirectives(connect: readonly string[] = []): string[] {
  return [
    "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data: blob:", "font-src 'self'",
    `connect-src ${["'self'", ...connect].join(' ')}`, "frame-ancestors 'none'", "base-uri 'self'", "form-action 'self'", "object-src 'none'",
  ];
}

export const PERMISSIONS_POLICY = 'camera=(), microphone=(), geolocation=(), payment=()';

/** Every response of the local server carries these (CloudFront sets the same through its policy). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': cspDirectives().join('; '),
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'Permissions-Policy': PERMISSIONS_POLICY,
};

import type { FastifyReply, FastifyRequest } from 'fastify';

/** The session cookie's name. */
export const SESSION_COOKIE = 'derbes_console';

/** The request's cookies; a name given twice keeps its first value, as browsers send the most specific path first. */
export function cookiesOf(request: FastifyRequest): Map<string, string> {
  const cookies = new Map<string, string>();
  const header = request.headers.cookie;
  if (typeof header !== 'string') return cookies;
  for (const pair of header.split(';')) {
    const at = pair.indexOf('=');
    if (at < 0) continue;
    const name = pair.slice(0, at).trim();
    if (!cookies.has(name)) cookies.set(name, pair.slice(at + 1).trim());
  }
  return cookies;
}

/** Whether the request came over TLS: its own socket, or a proxy's X-Forwarded-Proto when the app trusts it (Fastify's rule). */
export function cameOverTls(request: FastifyRequest): boolean {
  return request.protocol === 'https';
}

/**
 * Sets a console cookie: HttpOnly (no script reads it), SameSite=Strict (no other site's page sends it), Path=/console
 * (the API never sees it), Secure when the request came over TLS. `maxAgeSeconds` 0 removes it; none makes it last
 * as long as the browser session.
 */
export function setCookie(reply: FastifyReply, request: FastifyRequest, name: string, value: string, maxAgeSeconds?: number): void {
  const parts = [`${name}=${value}`, 'Path=/console', 'HttpOnly', 'SameSite=Strict'];
  if (maxAgeSeconds !== undefined) parts.push(`Max-Age=${maxAgeSeconds}`);
  if (cameOverTls(request)) parts.push('Secure');
  const previous = reply.getHeader('set-cookie');
  const list = previous === undefined ? [] : Array.isArray(previous) ? previous.map(String) : [String(previous)];
  void reply.header('set-cookie', [...list, parts.join('; ')]);
}

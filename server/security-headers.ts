/**
 * Security headers for the site's pages. The CSP is nonce-based: Next.js reads the nonce from the
 * request's CSP header and puts it on its own scripts, so no inline script runs without it. Pages are
 * never framed (`frame-ancestors 'none'`); widgets are not pages, they reach ChatGPT as MCP resources.
 */
export function contentSecurityPolicy(nonce: string, options: { development: boolean }): string {
  const scriptSrc = [`'self'`, `'nonce-${nonce}'`, `'strict-dynamic'`, ...(options.development ? [`'unsafe-eval'`] : [])];
  return [
    `default-src 'self'`,
    `script-src ${scriptSrc.join(" ")}`,
    `style-src 'self' 'unsafe-inline'`,
    `img-src 'self' data: blob:`,
    `font-src 'self'`,
    `connect-src 'self'${options.development ? " ws: wss:" : ""}`,
    `object-src 'none'`,
    `base-uri 'self'`,
    `form-action 'self'`,
    `frame-ancestors 'none'`,
  ].join("; ");
}

/**
 * HSTS, when the app is served over https. The headers that do not depend on configuration (nosniff,
 * Referrer-Policy, X-Frame-Options) are set for every response in next.config.ts.
 */
export function transportSecurityHeaders(appBaseUrl: string): Record<string, string> {
  return appBaseUrl.startsWith("https://") ? { "strict-transport-security": "max-age=63072000; includeSubDomains" } : {};
}

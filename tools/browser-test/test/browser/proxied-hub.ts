/**
 * The proxied Hub fake (see vite-plugins.ts): the browser project's Vite server forwards these paths of the page's
 * origin to it. The Hub client keeps only the origin of `baseUrl` (the spec's paths are absolute, `/api/v1/...`), so a
 * site mounts the proxy at `/api/v1/` of its own origin; `/_mock/` reaches the mock server's control routes.
 */
export const HUB_PROXY_PREFIXES = ['/api/v1/', '/_mock/'] as const;
export const PROXIED_HUB_TOKEN = 'browser-proxy-token';

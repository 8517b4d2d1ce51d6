/**
 * Links into the Nucleus dashboard, as the Python CLI builds them: `urljoin(NUCLEUS_DASHBOARD or
 * "https://dashboard.scale.com/nucleus/", sub_path + NUCLEUS_DASH_PARAMS)` (older releases read
 * `NUCLEUS_EXTRA_PARAMS`; both are honoured). WHATWG URL resolution is urljoin's for these inputs.
 */
export const DEFAULT_DASHBOARD = 'https://dashboard.scale.com/nucleus/';
export const DOCS_URL = 'https://nucleus.scale.com/docs';

export function dashboardUrl(env: Readonly<Record<string, string | undefined>>, subPath: string): string {
  const base = env.NUCLEUS_DASHBOARD || DEFAULT_DASHBOARD;
  const params = env.NUCLEUS_DASH_PARAMS ?? env.NUCLEUS_EXTRA_PARAMS ?? '';
  return new URL(subPath.replace(/^\/+/, '') + params, base).toString();
}

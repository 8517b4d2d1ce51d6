/** Read a dot path (`meta.pagination.total`) from a response body. */
export function getPath(value: unknown, path: string | undefined): unknown {
  if (!path) return undefined;
  let cur: unknown = value;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

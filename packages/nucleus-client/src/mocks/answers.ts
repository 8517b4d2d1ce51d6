/**
 * The fake's wording. Nucleus's error bodies are not documented (nucleus-api.md §6, §12): the closest evidence is
 * `modelRun/create`'s `{status_code, error}`, so every error here is `{ "error": message, "status_code": n }` with a
 * text the Python client's messages would recognise.
 */
import type { FakeAnswer } from '@mlclients/package-core/testing';

export function ok(json: unknown): FakeAnswer {
  return { status: 200, json };
}

/** An error answer as the fake words them: `{ "error": message, "status_code": status }`. */
export function nucleusError(status: number, error: string): FakeAnswer {
  return { status, json: { error, status_code: status } };
}

export const notFound = (what: string, id: string): FakeAnswer =>
  nucleusError(404, `${what} ${id} not found`);

/** Page tokens: opaque to clients, an offset here. */
export function pageToken(offset: number): string {
  // base64url with the web's btoa (no Buffer: the fake also runs in a browser's service worker).
  return btoa(`offset:${offset}`).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function readToken(token: unknown): number | undefined {
  if (token === null || token === undefined || token === '') return 0;
  if (typeof token !== 'string') return undefined;
  let text: string;
  try {
    text = atob(token.replace(/-/g, '+').replace(/_/g, '/'));
  } catch {
    return undefined;
  }
  const m = /^offset:(\d+)$/.exec(text);
  return m ? Number(m[1]) : undefined;
}

/** One page of `rows` by `{pageToken, pageSize}`, under `key` (`items` or `data`). */
export function tokenPageAnswer(
  rows: readonly unknown[],
  body: Record<string, unknown>,
  key: 'items' | 'data',
): FakeAnswer {
  const offset = readToken(body.pageToken);
  if (offset === undefined) return nucleusError(400, 'pageToken: invalid page token');
  const size = body.pageSize;
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 1)
    return nucleusError(400, 'pageSize: expected a positive integer');
  const page = rows.slice(offset, offset + size);
  const next = offset + size < rows.length ? pageToken(offset + size) : null;
  return ok({ [key]: page, nextPageToken: next });
}

/**
 * Reads the route tables of the Nucleus fact sheet (§3 "Endpoints" of test/fixtures/nucleus-api.md, a verbatim copy
 * of shared/reference/nucleus-api.md) into one entry per (method, path), so tests can hold the spec to every route.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const FACT_SHEET_COPY = resolve(here, '../fixtures/nucleus-api.md');
/** The original, next to the repo (absent on a clean clone; the copy above is what the tests read). */
export const FACT_SHEET_ORIGINAL = resolve(here, '../../../../../shared/reference/nucleus-api.md');
export const SPEC_FILE = resolve(here, '../../../../openapi/nucleus.yaml');

export interface SheetRoute {
  /** Lower-case HTTP method. */
  method: 'get' | 'post' | 'put' | 'delete';
  /** The path as the sheet writes it, e.g. `dataset/{ds}/append?async=1`. */
  raw: string;
  /** Comparable form: leading slash, no query, every `{param}` as `{}`. */
  key: string;
  /** Query parameter names the sheet shows on this row (`async`, `from_item`, ...). */
  query: string[];
  /** Sub-section the row is in, e.g. `3.2`. */
  section: string;
  /** Whether the row is the multipart form of a route. */
  multipart: boolean;
}

/** `dataset/{ds}/iloc/{i}` and `/dataset/{dataset_id}/iloc/{index}` both become `/dataset/{}/iloc/{}`. */
export function routeKey(path: string): string {
  const bare = path.replace(/\[.*$/, '').replace(/\?.*$/, '');
  return `/${bare.replace(/^\//, '')}`.replace(/\{[^}]*\}/g, '{}');
}

/** Table cells of one markdown row; a `|` inside backticks (`0|1`) does not split. */
function cells(row: string): string[] {
  const out: string[] = [];
  let current = '';
  let inCode = false;
  for (const ch of row.trim().replace(/^\|/, '').replace(/\|$/, '')) {
    if (ch === '`') inCode = !inCode;
    if (ch === '|' && !inCode) {
      out.push(current.trim());
      current = '';
    } else {
      current += ch;
    }
  }
  out.push(current.trim());
  return out;
}

function queryNames(raw: string): string[] {
  const query = raw.match(/\[?\?([^\]]*)\]?$/)?.[1];
  if (!query) return [];
  return query.split('&').map((part) => part.split('=')[0] as string);
}

const METHOD_CELL = /^(GET|POST|PUT|DELETE)(\s*\/\s*(GET|POST|PUT|DELETE))*$/;

export function parseSheetRoutes(text: string): SheetRoute[] {
  const start = text.indexOf('\n## 3. Endpoints');
  const end = text.indexOf('\n## 4. ', start);
  if (start < 0 || end < 0) throw new Error('fact sheet: section 3 "Endpoints" not found');
  const routes: SheetRoute[] = [];
  let section = '3';
  for (const line of text.slice(start, end).split('\n')) {
    const heading = line.match(/^### (3\.\d+)/);
    if (heading) section = heading[1] as string;
    if (!line.startsWith('|')) continue;
    const [methodCell = '', pathCell = ''] = cells(line);
    if (!METHOD_CELL.test(methodCell)) continue;
    // Notes in parentheses ("(multipart)", "(**no `dataset/` prefix**)") are not paths.
    const withoutNotes = pathCell.replace(/\([^)]*\)/g, '');
    const paths = [...withoutNotes.matchAll(/`([^`]+)`/g)].map((m) => m[1] as string);
    for (const method of methodCell.split('/').map((m) => m.trim().toLowerCase())) {
      for (const raw of paths) {
        routes.push({
          method: method as SheetRoute['method'],
          raw,
          key: routeKey(raw),
          query: queryNames(raw),
          section,
          multipart: /\(multipart\)/.test(pathCell),
        });
      }
    }
  }
  return routes;
}

export function readSheetRoutes(): SheetRoute[] {
  return parseSheetRoutes(readFileSync(FACT_SHEET_COPY, 'utf8'));
}

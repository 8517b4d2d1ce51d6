/**
 * openapi/nucleus.yaml against the route tables of the fact sheet (§3 of test/fixtures/nucleus-api.md): every route
 * the Python client calls has exactly one operation with the same method and path (irregular paths kept as they are),
 * the spec invents none, and the query variants, multipart forms and async forms a row shows are declared.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { operations } from '../src/generated/index.js';
import {
  FACT_SHEET_COPY,
  FACT_SHEET_ORIGINAL,
  parseSheetRoutes,
  readSheetRoutes,
  routeKey,
} from './helpers/fact-sheet.js';
import type { OperationLike } from './helpers/schema.js';
import { deref, spec } from './helpers/spec.js';

const routes = readSheetRoutes();
const allOperations = Object.values(operations as unknown as Record<string, OperationLike>);
const byRoute = new Map(allOperations.map((op) => [`${op.method} ${routeKey(op.path)}`, op]));
const opFor = (route: { method: string; key: string }) => byRoute.get(`${route.method} ${route.key}`);

describe('fact sheet §3 routes', () => {
  it.skipIf(!existsSync(FACT_SHEET_ORIGINAL))(
    'reads a copy identical to shared/reference/nucleus-api.md',
    () => {
      expect(readFileSync(FACT_SHEET_COPY, 'utf8')).toBe(readFileSync(FACT_SHEET_ORIGINAL, 'utf8'));
    },
  );

  it('parses every row of the twelve tables, methods and multi-path cells split', () => {
    expect(new Set(routes.map((r) => r.section))).toEqual(
      new Set(Array.from({ length: 12 }, (_, i) => `3.${i + 1}`)),
    );
    // 143 rows once "GET/POST/DELETE", "POST / DELETE" and the three modelRun lookups in one cell are split;
    // the async, multipart and from_item rows share a route with another row.
    expect(routes).toHaveLength(143);
    expect(new Set(routes.map((r) => `${r.method} ${r.key}`)).size).toBe(137);
    expect(
      routes.filter((r) => r.key === '/modelRun/{}/loc/{}' || r.key === '/modelRun/{}/iloc/{}'),
    ).toHaveLength(2);
    // Cells with a `|` inside backticks and notes in parentheses are not split into bogus paths.
    expect(routes.find((r) => r.key === '/dataset/{}/metadata')?.query).toEqual(['async']);
    expect(routes.some((r) => r.key === '/dataset/' && r.section === '3.8')).toBe(false);
  });

  it('keys paths the same way for the sheet and the spec', () => {
    expect(routeKey('dataset/{ds}/slices[?name=..&type=..]')).toBe('/dataset/{}/slices');
    expect(routeKey('/dataset/{dataset_id}/slices')).toBe('/dataset/{}/slices');
    expect(routeKey('model/{prj_ or run_ id}')).toBe('/model/{}');
    expect(routeKey('model/run/{mid}/')).toBe('/model/run/{}/');
    expect(parseSheetRoutes('\n## 3. Endpoints\n| POST / DELETE | `a/{x}` (`b/`) | - |\n## 4. x')).toEqual([
      { method: 'post', raw: 'a/{x}', key: '/a/{}', query: [], section: '3', multipart: false },
      { method: 'delete', raw: 'a/{x}', key: '/a/{}', query: [], section: '3', multipart: false },
    ]);
  });

  it('has an operation for every route of the sheet', () => {
    const missing = routes.filter((r) => !opFor(r)).map((r) => `${r.method.toUpperCase()} ${r.raw}`);
    expect(missing).toEqual([]);
    expect(allOperations).toHaveLength(137);
  });

  it('invents no route the sheet does not list', () => {
    const listed = new Set(routes.map((r) => `${r.method} ${r.key}`));
    const extra = allOperations.filter((op) => !listed.has(`${op.method} ${routeKey(op.path)}`));
    expect(extra.map((op) => `${op.method} ${op.path}`)).toEqual([]);
  });

  it('keeps the irregular paths exactly as the server has them', () => {
    const paths = new Set(allOperations.map((op) => op.path));
    for (const path of [
      '/dataset/',
      '/models/',
      '/slice/',
      '/jobs/',
      '/model/run/{model_id}/',
      '/{dataset_id}/upload_scenes',
      '/{dataset_id}/upload_video_scenes',
      '/{dataset_id}/list_autotags',
      '/dataset/{dataset_id}/async_export_embeddings',
    ]) {
      expect(paths).toContain(path);
    }
    expect(paths).not.toContain('/dataset/{dataset_id}/upload_scenes');
    expect(paths).not.toContain('/models');
  });

  it('declares the query parameters each row shows', () => {
    for (const route of routes.filter((r) => r.query.length > 0)) {
      const op = opFor(route);
      expect(op?.queryParams, `${route.raw}`).toEqual(expect.arrayContaining(route.query));
    }
  });

  it('declares the multipart form where the sheet has one', () => {
    const multipart = routes.filter((r) => r.multipart);
    expect(multipart.map((r) => r.key)).toEqual(['/dataset/{}/append', '/dataset/{}/annotate']);
    for (const route of multipart) {
      const op = opFor(route);
      const body = deref(spec.paths[op?.path ?? '']?.[route.method]?.requestBody);
      expect(Object.keys(body.content)).toEqual(['application/json', 'multipart/form-data']);
    }
  });

  it('makes every async-ingest route of §2.3 non-idempotent and answer a job', () => {
    const asyncRoutes = routes.filter((r) => r.query.includes('async'));
    expect(new Set(asyncRoutes.map((r) => r.key))).toEqual(
      new Set([
        '/dataset/{}/append',
        '/dataset/{}/annotate',
        '/dataset/{}/model/{}/uploadPredictions',
        '/modelRun/{}/predict',
        '/{}/upload_scenes',
        '/{}/upload_video_scenes',
        '/dataset/{}/metadata',
      ]),
    );
    for (const route of asyncRoutes) {
      const op = opFor(route);
      expect(op?.idempotent, route.raw).toBe(false);
      const response = deref(spec.paths[op?.path ?? ''].post.responses['200']);
      const refs = JSON.stringify(response.content['application/json'].schema);
      expect(refs, route.raw).toContain('#/components/schemas/AsyncJob');
    }
  });
});

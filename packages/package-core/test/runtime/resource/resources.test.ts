import { HttpResponse, http } from 'msw';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { NotFoundError, type Page, type PageIterable } from '../../../src/index.js';
import { BASE, makeClient, type Widget } from '../helpers.js';
import { useFake } from '../setup.js';

const fake = useFake();

describe('resource convention', () => {
  it('create -> get -> update -> list -> delete', async () => {
    const client = makeClient();
    const created = await client.widgets.create({ name: 'new', tags: ['a'] });
    expect(created).toMatchObject({ name: 'new', score: 0 });
    expect(await client.widgets.get(created.id)).toEqual(created);
    const updated = await client.widgets.update(created.id, { score: 9 });
    expect(updated.score).toBe(9);
    const page = await client.widgets.list({ limit: 100 });
    expect(page.data.some((w) => w.id === created.id)).toBe(true);
    await client.widgets.delete(created.id);
    await expect(client.widgets.get(created.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('only the operations the API has exist', () => {
    const client = makeClient();
    expect(Object.keys(client.gadgets).sort()).toEqual(['create', 'get', 'iterate', 'list']);
    expect(Object.keys(client.gizmos).sort()).toEqual(['get', 'iterate', 'list', 'update']);
    // @ts-expect-error gadgets have no delete
    expect(client.gadgets.delete).toBeUndefined();
  });

  it('is typed from the spec (wrong params fail to compile)', () => {
    const client = makeClient();
    expectTypeOf(client.widgets.get).parameter(0).toEqualTypeOf<string>();
    expectTypeOf(client.gadgets.get).parameter(0).toEqualTypeOf<number>();
    expectTypeOf(client.widgets.get).returns.resolves.toMatchTypeOf<{ id: string; score: number }>();
    expectTypeOf(client.widgets.list).returns.resolves.toMatchTypeOf<
      Page<{ id: string; name: string }, unknown>
    >();
    expectTypeOf(client.gadgets.iterate).returns.toMatchTypeOf<
      PageIterable<{ id: number; label: string }, unknown>
    >();
    expectTypeOf(client.widgets.report).returns.resolves.toEqualTypeOf<string>();
    if (Math.random() > 2) {
      // Compile-time checks only; never run.
      // @ts-expect-error limit is a number
      void client.widgets.list({ limit: 'ten' });
      // @ts-expect-error unknown query parameter
      void client.widgets.list({ colour: 'red' });
      // @ts-expect-error the id is a string
      void client.widgets.get(5);
      // @ts-expect-error create needs a body
      void client.widgets.create();
      // @ts-expect-error gadget ids are numbers
      void client.gadgets.get('x');
      // @ts-expect-error label is a string
      void client.gadgets.create({ label: 5 });
    }
  });

  it('withOptions: a new client, options merged over the old one, headers key by key', async () => {
    const seen: Headers[] = [];
    fake.server.use(
      http.get(`${BASE}/widgets/w1`, ({ request }) => {
        seen.push(request.headers);
        return HttpResponse.json({ message: 'busy' }, { status: 503 });
      }),
    );
    const client = makeClient({ headers: { 'x-a': '1', 'x-b': '1' } });
    const other = client.withOptions({ maxRetries: 0, headers: { 'x-b': '2' } });
    expect((await other.widgets.get('w1').catch((e) => e)).attempts).toBe(1);
    expect(seen.map((h) => [h.get('x-a'), h.get('x-b')])).toEqual([['1', '2']]);
    seen.length = 0;
    expect((await client.widgets.get('w1').catch((e) => e)).attempts).toBe(3);
    expect(seen[0]?.get('x-b')).toBe('1');
  });

  it('call(operationId) and the escape hatch', async () => {
    const client = makeClient();
    const w = (await client.call('getWidget', { widget_id: 'w2' })) as Widget;
    expect(w.id).toBe('w2');
    await expect(client.call('nope')).rejects.toThrow(/unknown operation/);
    const raw = await client.get<Widget>('/widgets/w3');
    expect(raw.id).toBe('w3');
  });

  it('an operation with path parameters takes the last one first, also outside get/update/delete', async () => {
    const client = makeClient();
    expect(await client.widgets.report('w1')).toBe('report for w1');
    const scored = await client.widgets.score('w2', {
      trials: [
        { id: 'a', score: 3 },
        { id: 'b', score: 7 },
      ],
    });
    expect(scored).toMatchObject({ id: 'w2', score: 7 });
  });
});

describe('deprecated resources', () => {
  it('warn once, on first use', async () => {
    const warnings: string[] = [];
    const logger = { warn: (m: string) => warnings.push(m), error() {}, info() {}, debug() {} };
    const client = makeClient({ logger, logLevel: 'warn' });
    expect(warnings).toEqual([]);
    await client.notes.list();
    await client.notes.list();
    expect(warnings).toEqual(['`notes` is deprecated by the API and may be removed']);
  });
});

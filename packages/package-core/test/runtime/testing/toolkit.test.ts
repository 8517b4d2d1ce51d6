import { HttpResponse, http } from 'msw';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createFakeServer,
  MemoryStore,
  newFaultStats,
  nextFault,
  seededRandom,
  withFaults,
} from '../../../src/testing/index.js';

describe('MemoryStore', () => {
  it('create/get/update/delete/slice with copies in and out', () => {
    const s = new MemoryStore<{ id: string; n: number }>();
    const a = s.create({ n: 1 });
    s.create({ n: 2 });
    s.create({ id: 'x', n: 3 });
    expect(a.id).toBe('1');
    a.n = 99;
    expect(s.get('1')?.n).toBe(1);
    expect(s.update('1', { n: 5 })?.n).toBe(5);
    expect(s.slice(1, 5)).toEqual({
      items: [
        { id: '2', n: 2 },
        { id: 'x', n: 3 },
      ],
      total: 3,
    });
    expect(s.delete('2')).toBe(true);
    expect(s.delete('2')).toBe(false);
    expect(s.size).toBe(2);
    expect(s.update('nope', {})).toBeUndefined();
  });
});

describe('fault plans', () => {
  it('a sequence applies call by call, then passes', () => {
    const plan = { sequence: [{ kind: 'reset' as const }, null, { kind: 'status' as const, status: 500 }] };
    const req = new Request('http://x/');
    const got = [0, 1, 2, 3].map(() => nextFault(plan, req)?.kind ?? 'none');
    expect(got).toEqual(['reset', 'none', 'status', 'none']);
  });

  it('a seeded rate is reproducible and counted', () => {
    const run = () => {
      const plan = {
        rate: 0.3,
        faults: [{ kind: 'reset' as const }],
        random: seededRandom(7),
        stats: newFaultStats(),
      };
      const req = new Request('http://x/');
      for (let i = 0; i < 1000; i++) nextFault(plan, req);
      return plan.stats;
    };
    const a = run();
    expect(a).toEqual(run());
    expect(a.injected).toBeGreaterThan(250);
    expect(a.injected).toBeLessThan(350);
    expect(a.byKind.reset).toBe(a.injected);
  });
});

describe('fail-loud server', () => {
  const fake = createFakeServer(
    http.get(
      'http://fake.local/ok',
      withFaults(() => HttpResponse.json({ ok: true }), {
        sequence: [{ kind: 'status', status: 503, body: 'busy' }],
      }),
    ),
  );
  beforeAll(() => fake.listen());
  afterAll(() => fake.close());

  it('injects the scripted fault, then answers', async () => {
    const r1 = await fetch('http://fake.local/ok');
    expect(r1.status).toBe(503);
    expect(await r1.text()).toBe('busy');
    expect(await (await fetch('http://fake.local/ok')).json()).toEqual({ ok: true });
  });

  it('an unhandled request fails the request and the assertion', async () => {
    await expect(fetch('http://fake.local/missing')).rejects.toThrow();
    expect(() => fake.assertAllHandled()).toThrow(
      /1 unhandled request\(s\):\n {2}GET http:\/\/fake.local\/missing/,
    );
    expect(() => fake.assertAllHandled()).not.toThrow();
  });
});

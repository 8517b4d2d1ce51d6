import { HttpResponse, http } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { MissingParamError, ResponseValidationError } from '../../../src/index.js';
import { BASE, makeClient } from '../helpers.js';
import { useFake } from '../setup.js';

const fake = useFake();

describe('request validation', () => {
  it('throws MissingParamError with the path of each problem, before sending', async () => {
    let sent = 0;
    fake.server.use(
      http.post(`${BASE}/widgets/:id/scores`, () => {
        sent++;
        return HttpResponse.json({});
      }),
    );
    const trials = [
      { id: 'a', score: 1 },
      { id: 'b', score: 2 },
      { id: 'c', score: 3 },
      { id: 'd', score: 'high' },
    ];
    const err = await makeClient()
      // @ts-expect-error score must be a number
      .widgets.score({ widget_id: 'w1', trials })
      .catch((e) => e);
    expect(err).toBeInstanceOf(MissingParamError);
    expect(err.message).toContain('trials[3].score: expected number, got string');
    expect(err.issues).toEqual([{ path: 'trials[3].score', message: 'expected number, got string' }]);
    expect(err.operation).toBe('scoreWidget');
    expect(err.attempts).toBe(0);
    expect(sent).toBe(0);
  });

  it('reports missing required fields and bad query params together', async () => {
    const e1 = await makeClient()
      // @ts-expect-error name is required
      .widgets.create({ score: 1 })
      .catch((e) => e);
    expect(e1.issues).toEqual([{ path: 'name', message: 'required (expected string)' }]);
    const e2 = await makeClient()
      .widgets.list({ limit: 0 })
      .catch((e) => e);
    expect(e2).toBeInstanceOf(MissingParamError);
    expect(e2.issues[0].path).toBe('limit');
  });

  it('a missing path parameter fails even with validation off', async () => {
    const client = makeClient({ validate: 'off' });
    const err = await client.request(client.operation('getWidget'), {}).catch((e: MissingParamError) => e);
    expect(err).toBeInstanceOf(MissingParamError);
    expect((err as MissingParamError).message).toContain('widget_id');
  });

  it("'off' sends whatever it is given", async () => {
    const w = await makeClient({ validate: 'off' })
      // @ts-expect-error name is required
      .widgets.create({ score: 1 })
      .catch((e) => e);
    expect(w).not.toBeInstanceOf(Error);
  });
});

describe('response validation', () => {
  const bad = () =>
    fake.server.use(
      http.get(`${BASE}/widgets/w1`, () =>
        HttpResponse.json({ id: 'w1', name: 'n', score: 'NaN', extra: true }),
      ),
    );

  it("'error' throws ResponseValidationError", async () => {
    bad();
    const err = await makeClient()
      .widgets.get('w1')
      .catch((e) => e);
    expect(err).toBeInstanceOf(ResponseValidationError);
    expect(err.issues).toEqual([{ path: 'score', message: 'expected number, got string' }]);
  });

  it("'warn' logs and returns the body as received", async () => {
    bad();
    const warn = vi.fn();
    const logger = { warn, error: vi.fn(), info: vi.fn(), debug: vi.fn() };
    const w = await makeClient({ validate: 'warn', logger, logLevel: 'warn' }).widgets.get('w1');
    expect(w).toEqual({ id: 'w1', name: 'n', score: 'NaN', extra: true });
    expect(warn).toHaveBeenCalledOnce();
    expect(String(warn.mock.calls[0]?.[0])).toContain('score: expected number, got string');
  });

  it('unknown properties pass through', async () => {
    fake.server.use(
      http.get(`${BASE}/widgets/w1`, () =>
        HttpResponse.json({ id: 'w1', name: 'n', score: 1, brand_new: { x: 1 } }),
      ),
    );
    const w = await makeClient().widgets.get('w1');
    expect(w).toMatchObject({ brand_new: { x: 1 } });
  });
});

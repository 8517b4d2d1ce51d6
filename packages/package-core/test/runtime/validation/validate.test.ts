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
      .widgets.score('w1', { trials })
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
    expect(e1.issues).toEqual([{ path: 'name', message: 'required' }]);
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
  /** GET /widgets/:id answers `body` (a function of the id, so each widget can be wrong in its own way). */
  const serve = (body: (id: string) => Record<string, unknown>) =>
    fake.server.use(
      http.get(`${BASE}/widgets/:id`, ({ params }) => HttpResponse.json(body(String(params.id)))),
    );
  const recordingLogger = () => {
    const warn = vi.fn();
    return { logger: { warn, error: vi.fn(), info: vi.fn(), debug: vi.fn() }, warn };
  };
  const warnings = (warn: ReturnType<typeof vi.fn>) => warn.mock.calls.map((c) => String(c[0]));

  it("'error' throws ResponseValidationError naming the field", async () => {
    serve((id) => ({ id, name: 'n', score: 'NaN', extra: true }));
    const err = await makeClient({ validate: 'error' })
      .widgets.get('w1')
      .catch((e) => e);
    expect(err).toBeInstanceOf(ResponseValidationError);
    expect(err.operation).toBe('getWidget');
    expect(err.issues).toEqual([{ path: 'score', message: 'expected number, got string' }]);
    expect(err.message).toContain('score: expected number, got string');
  });

  it("'warn' returns the body as received and logs one warning naming the field", async () => {
    serve((id) => ({ id, name: null, score: 1, extra: true }));
    const { logger, warn } = recordingLogger();
    const w = await makeClient({ validate: 'warn', logger, logLevel: 'warn' }).widgets.get('w1');
    expect(w).toEqual({ id: 'w1', name: null, score: 1, extra: true });
    expect(warnings(warn)).toHaveLength(1);
    expect(warnings(warn)[0]).toContain('getWidget: the response does not match the spec');
    expect(warnings(warn)[0]).toContain('name: expected string, got null');
  });

  it("'warn' logs each operation and field once per client", async () => {
    // w1 has a bad name, w2 a bad score, w3 a bad name again.
    serve((id) => (id === 'w2' ? { id, name: 'n', score: 'high' } : { id, name: null, score: 1 }));
    const { logger, warn } = recordingLogger();
    const client = makeClient({ validate: 'warn', logger, logLevel: 'warn' });
    await client.widgets.get('w1');
    await client.widgets.get('w2');
    expect(warnings(warn)).toHaveLength(2);
    expect(warnings(warn)[0]).toContain('name: expected string, got null');
    expect(warnings(warn)[1]).toContain('score: expected number, got string');
    expect(warnings(warn)[1]).not.toContain('name:');
    const again = await client.widgets.get('w3');
    expect(again).toMatchObject({ id: 'w3', name: null });
    expect(warnings(warn)).toHaveLength(2);

    // Another client has its own logger: it is told too.
    const other = recordingLogger();
    await makeClient({ validate: 'warn', logger: other.logger, logLevel: 'warn' }).widgets.get('w3');
    expect(warnings(other.warn)).toHaveLength(1);
  });

  it('unknown properties pass through', async () => {
    serve((id) => ({ id, name: 'n', score: 1, brand_new: { x: 1 } }));
    const w = await makeClient().widgets.get('w1');
    expect(w).toMatchObject({ brand_new: { x: 1 } });
  });
});

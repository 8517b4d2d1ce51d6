/**
 * `startMockServer(service, options)`: a service's stateful fake over real HTTP on 127.0.0.1, with control routes
 * under `/_mock/`: `POST /_mock/reset` (back to the seed, or empty), `POST /_mock/faults` (queue a fault),
 * `DELETE /_mock/faults` (clear them), `GET /_mock/journal` (requests seen, redacted).
 * The same server backs `npm run mock`, tests over HTTP, examples and the benchmarks.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type FaultRule, faultRuleProblems, sleep } from '@mlclients/package-core/testing';
import { BodyTooLargeError, readBody, toRequest, writeJson, writeResponse } from './http-adapter.js';
import { type Seed, type ServableFake, serviceNames, services } from './registry.js';
import { parseSeed, readSeedFile } from './seed.js';

/** Options of {@link startMockServer}. */
export interface MockServerOptions {
  /** @default 0 (a free port) */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** Added before every answer of the fake (not of the control routes), in milliseconds. @default 0 */
  latencyMs?: number;
  /** A seed file (see the README), or an already parsed seed object. */
  seed?: string | Record<string, unknown>;
  /** Check the fake's answers against the spec. @default 'warn' ('error' answers 500 on a mismatch) */
  conformance?: 'error' | 'warn' | 'off';
}

/** A running mock server. */
export interface MockServer {
  readonly service: string;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** The fake behind it (in-process users may seed and inspect it directly). */
  readonly fake: ServableFake;
  /** Stop listening and drop open connections. */
  close(): Promise<void>;
}

/** A service name the registry does not have. */
export class UnknownServiceError extends Error {
  override name = 'UnknownServiceError';
}

async function controlRoute(
  method: string,
  path: string,
  body: Uint8Array,
  fake: ServableFake,
): Promise<{ status: number; json: unknown }> {
  const route = `${method} ${path}`;
  if (route === 'POST /_mock/reset') {
    fake.reset();
    return { status: 200, json: { reset: true } };
  }
  if (route === 'GET /_mock/journal') return { status: 200, json: { entries: fake.journal } };
  if (route === 'DELETE /_mock/faults') {
    fake.faults.clear();
    return { status: 200, json: { pending: 0 } };
  }
  if (route === 'POST /_mock/faults') {
    let rule: unknown;
    try {
      rule = JSON.parse(new TextDecoder().decode(body) || '{}');
    } catch {
      return { status: 400, json: { errors: ['body: not JSON'] } };
    }
    const problems = faultRuleProblems(rule);
    if (problems.length) return { status: 400, json: { errors: problems } };
    fake.faults.inject(rule as FaultRule);
    return { status: 200, json: { pending: fake.faults.pending } };
  }
  return { status: 404, json: { errors: [`${route}: no such control route (reset, faults, journal)`] } };
}

/** Start a service's fake over HTTP. Resolves once it listens. */
export async function startMockServer(service: string, options: MockServerOptions = {}): Promise<MockServer> {
  const entry = services[service];
  if (!entry)
    throw new UnknownServiceError(`unknown service "${service}" (known: ${serviceNames().join(', ')})`);
  const names = await entry.resources();
  const seed: Seed =
    typeof options.seed === 'string'
      ? await readSeedFile(options.seed, names)
      : options.seed
        ? parseSeed(options.seed, names)
        : { resources: {} };
  const fake = await entry.create({ seed, conformance: options.conformance ?? 'warn' });
  const host = options.host ?? '127.0.0.1';
  const latency = options.latencyMs ?? 0;
  let origin = '';

  const server: Server = createServer(async (req, res) => {
    try {
      const body = await readBody(req);
      const path = (req.url ?? '/').split('?')[0]!;
      if (path.startsWith('/_mock/')) {
        const answer = await controlRoute((req.method ?? 'GET').toUpperCase(), path, body, fake);
        writeJson(res, answer.status, answer.json);
        return;
      }
      if (latency > 0) await sleep(latency);
      await writeResponse(res, await fake.handle(toRequest(req, body, origin)));
    } catch (error) {
      if (res.headersSent) res.destroy();
      else if (error instanceof BodyTooLargeError) writeJson(res, 413, { errors: [error.message] });
      else writeJson(res, 500, { errors: [`${service} mock server: ${(error as Error).message}`] });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    service,
    url: origin,
    port,
    fake,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

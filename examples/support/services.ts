/**
 * The fakes every example talks to, over real HTTP on 127.0.0.1: the Hub, Nucleus and SC fakes through
 * tools/mock-server (`npm run mock -- <service>` serves the same ones), and spacer's fake AWS Batch API (MSW handlers
 * from `@mlclients/spacer-client/mocks`) behind a small node:http server. Everything binds a free port and stops on
 * `close()`, so nothing is left running.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type MockServer, startMockServer } from '@mlclients/mock-server';
import { MemoryBlobStore } from '@mlclients/package-core/storage';
import { SpacerStorage } from '@mlclients/spacer-client';
import { FakeBatchApi, FakeSpacerWorker } from '@mlclients/spacer-client/mocks';
import { getResponse } from 'msw';

/** Where the examples find each service. */
export interface Services {
  /** Hub fake (any non-empty token is accepted). */
  hub: MockServer;
  /** Nucleus fake (any API key). */
  nucleus: MockServer;
  /** SC fake: user `admin`, password `admin-password`, as `npm run mock -- sc` documents. */
  sc: MockServer;
  /** spacer: the fake AWS Batch endpoint, and the storage its fake worker shares with the caller's queue. */
  spacer: { url: string; bucket: string; storage: SpacerStorage; batch: FakeBatchApi };
}

/** The SC fake's user (see tools/mock-server's README). */
export const SC_USER = { username: 'admin', password: 'admin-password' } as const;

/** Spacer's fake Batch API over HTTP. The worker runs in this process and reads and writes `storage`. */
async function startSpacerBatch(): Promise<{ spacer: Services['spacer']; close: () => Promise<void> }> {
  const bucket = 'tour-spacer-bucket';
  const bucketStore = new MemoryBlobStore(`memory://${bucket}`);
  const storage = new SpacerStorage({ bucketStore: () => bucketStore });
  let origin = '';
  const batch = new FakeBatchApi({ worker: new FakeSpacerWorker({ storage }), endpoint: 'http://127.0.0.1' });
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    // The handlers match on http://127.0.0.1 + path; the port is not part of their pattern.
    const request = new Request(new URL(req.url ?? '/', 'http://127.0.0.1'), {
      method: req.method ?? 'GET',
      headers: req.headers as Record<string, string>,
      ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
    });
    const response =
      (await getResponse(batch.handlers, request)) ?? new Response('no such route', { status: 404 });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    spacer: { url: origin, bucket, storage, batch },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Start every fake; `close()` stops them all. */
export async function startServices(): Promise<Services & { close(): Promise<void> }> {
  // conformance 'error': a fake answer that does not match its spec fails the example instead of passing quietly.
  const [hub, nucleus, sc, spacer] = await Promise.all([
    startMockServer('hub', { conformance: 'error' }),
    startMockServer('nucleus', { conformance: 'error' }),
    startMockServer('sc', { conformance: 'error' }),
    startSpacerBatch(),
  ]);
  return {
    hub,
    nucleus,
    sc,
    spacer: spacer.spacer,
    close: async () => {
      await Promise.all([hub.close(), nucleus.close(), sc.close(), spacer.close()]);
    },
  };
}

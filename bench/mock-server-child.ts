/**
 * The server side of mock-server.bench.ts, in its own process (so the load generator and the server each get a
 * core): `hub` = startMockServer('hub') seeded with 50 projects; `bare` = node:http answering a fixed JSON body
 * after reading the request body (what any server must do); `adapter` = the mock server's Request/Response
 * plumbing around that fixed body. Prints the URL, then serves until SIGTERM.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readRequestText } from '../packages/package-core/src/testing/index.js';
import { readBody, toRequest, writeResponse } from '../tools/mock-server/src/http-adapter.js';
import { startMockServer } from '../tools/mock-server/src/index.js';

const kind = process.argv[2];
const conformance = (process.argv[3] ?? 'off') as 'off' | 'warn';
let close: () => Promise<void>;
let url: string;

if (kind === 'hub') {
  const projects = Array.from({ length: 50 }, (_, i) => ({
    id: i + 1,
    name: `p${i + 1}`,
    organization_id: 1,
  }));
  const server = await startMockServer('hub', {
    seed: { organizations: [{ id: 1, name: 'acme' }], projects },
    conformance,
  });
  url = server.url;
  close = server.close;
} else if (kind === 'adapter') {
  // The mock server's HTTP plumbing (WHATWG Request in, Response out) around a fixed answer: what the fake costs
  // is the difference between this and the hub row.
  const fixed = JSON.stringify({ data: { object: 'project', id: 1, name: 'p1' }, meta: { status: 200 } });
  let origin = '';
  const server = createServer(async (req, res) => {
    const request = toRequest(req, await readBody(req), origin);
    await readRequestText(request);
    await writeResponse(
      res,
      new Response(fixed, { headers: { 'content-type': 'application/json; charset=utf-8' } }),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () =>
    new Promise((r) => {
      server.close(() => r());
      server.closeAllConnections();
    });
} else {
  const body = JSON.stringify({ data: { object: 'project', id: 1, name: 'p1' }, meta: { status: 200 } });
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () =>
    new Promise((r) => {
      server.close(() => r());
      server.closeAllConnections();
    });
}
process.stdout.write(`${url}\n`);
process.once('SIGTERM', () => void close().then(() => process.exit(0)));

/** DataLocations opened as package-core blob stores; messages stored and loaded as spacer does. */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsBlobStore, MemoryBlobStore, S3BlobStore } from '@mlclients/package-core/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codecs } from '../src/codec/codecs.js';
import { URLDownloadError } from '../src/errors.js';
import { dataLocation } from '../src/messages/data-location.js';
import { examples } from '../src/messages/examples.js';
import { loadMsg, SpacerStorage, storeMsg } from '../src/storage/spacer-storage.js';

let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url?.startsWith('/ok')) {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': '3' });
      res.end(req.method === 'HEAD' ? undefined : 'abc');
    } else if (req.url?.startsWith('/hang')) {
      // never answers: the timeout must fire
    } else if (req.url?.startsWith('/short')) {
      res.writeHead(200, { 'content-length': '100' });
      res.write('partial');
      setTimeout(() => res.destroy(), 20);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
});

describe('SpacerStorage.open', () => {
  const storage = new SpacerStorage();

  it('opens the matching package-core store for each storage type', () => {
    expect(storage.open(dataLocation('memory', 'a.json')).store).toBeInstanceOf(MemoryBlobStore);
    const fs = storage.open(dataLocation('filesystem', '/data/jobs/a.json'));
    expect(fs.store).toBeInstanceOf(FsBlobStore);
    expect([(fs.store as FsBlobStore).root, fs.key]).toEqual(['/data/jobs', 'a.json']);
    const s3 = storage.open(dataLocation('s3', 'batch_jobs/1_job_msg.json', 'my-bucket'));
    expect(s3.store).toBeInstanceOf(S3BlobStore);
    expect([(s3.store as S3BlobStore).bucket, s3.key]).toEqual(['my-bucket', 'batch_jobs/1_job_msg.json']);
  });

  it('stores and loads messages as spacer does (UTF-8 json.dumps bytes)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spacer-storage-'));
    const loc = dataLocation('filesystem', join(dir, 'deep', 'job.json'));
    const job = examples.jobMsg();
    await storeMsg(storage, codecs.JobMsg, job, loc);
    expect(readFileSync(join(dir, 'deep', 'job.json'), 'utf8')).toBe(codecs.JobMsg.encode(job));
    expect(await loadMsg(storage, codecs.JobMsg, loc)).toEqual(job);

    const mem = dataLocation('memory', `m-${randomUUID()}.json`);
    expect(await storage.exists(mem)).toBe(false);
    await storeMsg(storage, codecs.ValResults, examples.valResults(), mem);
    expect(await loadMsg(new SpacerStorage(), codecs.ValResults, mem)).toEqual(examples.valResults());
    await storage.delete(mem);
    expect(await storage.exists(mem)).toBe(false);
  });
});

describe('url locations', () => {
  it('read whole URLs, query strings included', async () => {
    const storage = new SpacerStorage();
    expect(
      new TextDecoder().decode(await storage.load(dataLocation('url', `${base}/ok?X-Amz-Signature=abc`))),
    ).toBe('abc');
    expect(await storage.exists(dataLocation('url', `${base}/ok`))).toBe(true);
    expect(await storage.exists(dataLocation('url', `${base}/missing`))).toBe(false);
    expect(await storage.exists(dataLocation('url', 'http::/invalid_url.com'))).toBe(false);
  });

  it('fail with spacer’s texts, without the signature', async () => {
    const storage = new SpacerStorage();
    const url = `${base}/missing?X-Amz-Signature=topsecret`;
    const error = await storage.load(dataLocation('url', url)).catch((e) => e);
    expect(error).toBeInstanceOf(URLDownloadError);
    expect(error.message).toBe(`Failed to download from the URL '${base}/missing?X-Amz-Signature=***'.`);
    expect(String(error)).toContain(' / Details - Error: HTTP Error 404');
    expect(error.message).not.toContain('topsecret');

    // Only the timeout is shortened (spacer's is 20 s), and only where the server never answers.
    const impatient = new SpacerStorage({ urlTimeoutMs: 200 });
    const hang = await impatient.load(dataLocation('url', `${base}/hang`)).catch((e) => e);
    expect(hang.message).toBe(`Failed to download from the URL '${base}/hang'.`);
    expect(hang.originalError.name).toBe('TimeoutError');

    const short = await storage.load(dataLocation('url', `${base}/short`)).catch((e) => e);
    expect(short.message).toBe(`Couldn't read the full response from the URL '${base}/short'.`);

    const bad = await storage.load(dataLocation('url', 'http::/invalid_url.com')).catch((e) => e);
    expect(bad.message).toBe("Failed to download from the URL 'http::/invalid_url.com'.");
  });

  it('are read-only', async () => {
    const storage = new SpacerStorage();
    await expect(storage.store(dataLocation('url', `${base}/ok`), 'x')).rejects.toThrow(
      'Store operation not supported for URL storage.',
    );
    await expect(storage.delete(dataLocation('url', `${base}/ok`))).rejects.toThrow(
      'Delete operation not supported for URL storage.',
    );
  });
});

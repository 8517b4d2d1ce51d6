/**
 * S3BlobStore against a real S3-compatible server (tools/s3-local: Swift + s3api on loopback):
 *
 *   bash tools/s3-local/install.sh && bash tools/s3-local/start.sh
 *   set -a; . /tmp/mlc-s3-local/env; set +a; npx vitest run test/storage/s3.test.ts
 *
 * The server tests are skipped when MLC_S3_ENDPOINT is not set; URL parsing and the missing-SDK error are not.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { inspect } from 'node:util';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutBucketVersioningCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { BlobNotFoundError } from '../../src/storage/blob-store.js';
import { openBlobStore } from '../../src/storage/open-blob-store.js';
import { S3BlobStore, S3BlobStoreError } from '../../src/storage/s3.js';
import { describeBlobStore } from './conformance.js';

const env = process.env;
const endpoint = env.MLC_S3_ENDPOINT;
const bucket = env.MLC_S3_BUCKET ?? 'mlc-test';
const secret = env.AWS_SECRET_ACCESS_KEY;
const MiB = 1024 * 1024;

/** Where this run writes: a fresh prefix per run, removed at the end. */
const runPrefix = `vitest-${randomUUID()}`;

function rawClient(): S3Client {
  return new S3Client({
    endpoint,
    forcePathStyle: true,
    region: env.AWS_REGION ?? 'us-east-1',
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** Removes what a test wrote (current versions), through the store: its listing survives any key. */
async function deletePrefix(bucketName: string, prefix: string): Promise<void> {
  const store = new S3BlobStore({ bucket: bucketName, prefix, endpoint: endpoint! });
  const keys: string[] = [];
  for await (const info of store.list('')) keys.push(info.key);
  await Promise.all(keys.map((key) => store.delete(key)));
}

describe('S3BlobStore.fromUrl', () => {
  it('parses bucket and prefix and builds a credential-free url', () => {
    const store = S3BlobStore.fromUrl('s3://my-bucket/team/registry/', {
      AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'very-secret-value',
    });
    expect(store.bucket).toBe('my-bucket');
    expect(store.prefix).toBe('team/registry/');
    expect(store.url).toBe('s3://my-bucket/team/registry');
    expect(store.url).not.toContain('very-secret-value');
    expect(store.url).not.toContain('AKIAEXAMPLE');
  });

  it('keeps the secret out of util.inspect (console.log) of the store, before and after the client exists', async () => {
    const store = S3BlobStore.fromUrl('s3://my-bucket', {
      AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'very-secret-value',
    });
    expect(inspect(store, { depth: 20 })).not.toContain('very-secret-value');
    await store.client();
    expect(inspect(store, { depth: 20 })).not.toContain('very-secret-value');
  });

  it('refuses credentials in the URL without echoing them', () => {
    for (const url of ['s3://AKIAX:hunter2-secret@bucket/p', 's3://hunter2-secret@bucket']) {
      expect(() => S3BlobStore.fromUrl(url, {})).toThrow(TypeError);
      try {
        S3BlobStore.fromUrl(url, {});
      } catch (error) {
        expect((error as Error).message).not.toContain('hunter2-secret');
      }
    }
    expect(() => new S3BlobStore({ bucket: 'key:hunter2-secret' })).toThrow(/not shown/);
  });

  it('accepts a bucket root', () => {
    const store = S3BlobStore.fromUrl('s3://my-bucket', {});
    expect(store.prefix).toBe('');
    expect(store.url).toBe('s3://my-bucket');
  });

  it('rejects what is not s3://bucket[/prefix]', () => {
    for (const url of ['s3://', 'http://bucket/x', 'bucket/x', 's3:///x']) {
      expect(() => S3BlobStore.fromUrl(url, {}), url).toThrow(TypeError);
    }
  });

  it('takes the endpoint from MLC_S3_ENDPOINT, then AWS_ENDPOINT_URL_S3, then AWS_ENDPOINT_URL', async () => {
    const endpointOf = async (e: NodeJS.ProcessEnv) => {
      const client = await S3BlobStore.fromUrl('s3://b', {
        AWS_REGION: 'eu-west-1',
        ...e,
      }).client<S3Client>();
      const resolved = await client.config.endpoint?.();
      return resolved ? `${resolved.protocol}//${resolved.hostname}:${resolved.port}` : undefined;
    };
    expect(
      await endpointOf({
        MLC_S3_ENDPOINT: 'http://127.0.0.1:1',
        AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:2',
        AWS_ENDPOINT_URL: 'http://127.0.0.1:3',
      }),
    ).toBe('http://127.0.0.1:1');
    expect(
      await endpointOf({ AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:2', AWS_ENDPOINT_URL: 'http://127.0.0.1:3' }),
    ).toBe('http://127.0.0.1:2');
    expect(await endpointOf({ AWS_ENDPOINT_URL: 'http://127.0.0.1:3' })).toBe('http://127.0.0.1:3');

    const client = await S3BlobStore.fromUrl('s3://b', {
      MLC_S3_ENDPOINT: 'http://127.0.0.1:1',
    }).client<S3Client>();
    expect(client.config.forcePathStyle).toBe(true);
  });

  it('uses a ready S3Client given as `client` (the SDK type fits the declared S3ClientLike)', async () => {
    const ready = new S3Client({ region: 'eu-west-1', endpoint: 'http://127.0.0.1:1', forcePathStyle: true });
    const store = new S3BlobStore({ bucket: 'b', client: ready, region: 'us-east-1' });
    expect(await store.client<S3Client>()).toBe(ready);
    ready.destroy();
  });

  it('is what openBlobStore returns for s3:// URLs', async () => {
    const store = await openBlobStore('s3://my-bucket/pre', { MLC_S3_ENDPOINT: 'http://127.0.0.1:1' });
    expect(store).toBeInstanceOf(S3BlobStore);
    expect(store.url).toBe('s3://my-bucket/pre');
  });
});

describe('S3BlobStore without the optional AWS SDK', () => {
  it('says which package to install', async () => {
    vi.resetModules();
    vi.doMock('@aws-sdk/client-s3', () => {
      throw Object.assign(new Error("Cannot find package '@aws-sdk/client-s3' imported from s3.js"), {
        code: 'ERR_MODULE_NOT_FOUND',
      });
    });
    try {
      const { S3BlobStore: Fresh } = await import('../../src/storage/s3.js');
      // Constructing and describing a store needs no SDK; using it does.
      const store = new Fresh({ bucket: 'b' });
      expect(store.url).toBe('s3://b');
      await expect(store.getBytes('k')).rejects.toThrow('install @aws-sdk/client-s3 to use s3:// registries');
    } finally {
      vi.doUnmock('@aws-sdk/client-s3');
      vi.resetModules();
    }
  });
});

describe.skipIf(!endpoint)('S3BlobStore against the local S3 server', () => {
  afterAll(async () => {
    await deletePrefix(bucket, runPrefix);
  });

  describeBlobStore(
    'S3BlobStore (multipart above 5 MiB, 7-key list pages)',
    () =>
      new S3BlobStore({
        bucket,
        prefix: `${runPrefix}/conformance-${randomUUID()}`,
        endpoint: endpoint!,
        partSize: 5 * MiB,
        listPageSize: 7,
      }),
    { secrets: secret ? [secret] : [], largeObjectBytes: 12 * MiB, listKeyCount: 30 },
  );

  describeBlobStore(
    'S3BlobStore.fromUrl (env credentials)',
    () => S3BlobStore.fromUrl(`s3://${bucket}/${runPrefix}/from-url-${randomUUID()}`, env),
    { secrets: secret ? [secret] : [], largeObjectBytes: 3 * MiB, listKeyCount: 10 },
  );

  it('writes keys under its prefix and sees nothing outside it', async () => {
    const a = new S3BlobStore({ bucket, prefix: `${runPrefix}/iso/a`, endpoint: endpoint! });
    const ab = new S3BlobStore({ bucket, prefix: `${runPrefix}/iso/ab`, endpoint: endpoint! });
    await a.put('x.txt', 'from a', { contentType: 'text/plain' });
    await ab.put('y.txt', 'from ab');

    const raw = rawClient();
    const head = await raw.send(new HeadObjectCommand({ Bucket: bucket, Key: `${runPrefix}/iso/a/x.txt` }));
    expect(head.ContentType).toBe('text/plain');
    expect(head.ContentLength).toBe(6);

    const listed: string[] = [];
    for await (const info of a.list('')) listed.push(info.key);
    expect(listed).toEqual(['x.txt']);
    expect(await a.exists('y.txt')).toBe(false);
  });

  it('uploads a large stream as multipart, in parts of partSize', async () => {
    const store = new S3BlobStore({
      bucket,
      prefix: `${runPrefix}/mpu`,
      endpoint: endpoint!,
      partSize: 5 * MiB,
    });
    const part = Buffer.alloc(MiB, 7);
    await store.put(
      'big.bin',
      Readable.from(
        (function* () {
          for (let i = 0; i < 11; i++) yield part;
        })(),
      ),
    );
    const head = await rawClient().send(
      new HeadObjectCommand({ Bucket: bucket, Key: `${runPrefix}/mpu/big.bin` }),
    );
    expect(head.ContentLength).toBe(11 * MiB);
    // A multipart object's ETag is '<md5 of part md5s>-<part count>'.
    expect(head.ETag).toMatch(/-3"?$/);
  });

  it('reads a given version of an object in a versioned bucket', async () => {
    const versioned = env.MLC_S3_VERSIONED_BUCKET ?? `${bucket}-versioned`;
    const raw = rawClient();
    await raw.send(new CreateBucketCommand({ Bucket: versioned })).catch((error: { name?: string }) => {
      if (error.name !== 'BucketAlreadyOwnedByYou' && error.name !== 'BucketAlreadyExists') throw error;
    });
    await raw.send(
      new PutBucketVersioningCommand({ Bucket: versioned, VersioningConfiguration: { Status: 'Enabled' } }),
    );
    const store = new S3BlobStore({ bucket: versioned, prefix: runPrefix, endpoint: endpoint! });
    try {
      const first = await store.put('pointer', 'one');
      const second = await store.put('pointer', Readable.from([Buffer.from('two')]));
      expect(first.versionId).toBeTruthy();
      expect(second.versionId).toBeTruthy();
      expect(second.versionId).not.toBe(first.versionId);
      expect(Buffer.from(await store.getBytes('pointer')).toString()).toBe('two');
      expect(Buffer.from(await store.getBytes('pointer', { versionId: first.versionId! })).toString()).toBe(
        'one',
      );
      const old = await store.get('pointer', { versionId: first.versionId! });
      let text = '';
      for await (const chunk of old) text += chunk.toString();
      expect(text).toBe('one');
      expect((await store.head('pointer'))?.versionId).toBe(second.versionId);
      // Swift's s3api answers 501 to If-None-Match: create-only is emulated, so only the versions protect writers.
      expect(await store.writeGuarantees()).toEqual({ atomicCreateOnly: false, versioned: true });
      const plain = new S3BlobStore({ bucket, prefix: runPrefix, endpoint: endpoint! });
      expect(await plain.writeGuarantees()).toEqual({ atomicCreateOnly: false, versioned: false });
    } finally {
      await deletePrefix(versioned, runPrefix);
    }
  });

  it('keeps a missing bucket apart from a missing key', async () => {
    const store = new S3BlobStore({
      bucket: `no-such-bucket-${randomUUID().slice(0, 8)}`,
      endpoint: endpoint!,
    });
    const error = await store.getBytes('k').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(S3BlobStoreError);
    expect(error).not.toBeInstanceOf(BlobNotFoundError);
    expect((error as S3BlobStoreError).code).toBe('NoSuchBucket');
    expect((error as Error).message).toContain('getBytes');
  });

  it('fails with S3BlobStoreError, without the secret, on bad credentials', async () => {
    const badSecret = 'definitely-not-the-secret-1234';
    const store = new S3BlobStore({
      bucket,
      prefix: runPrefix,
      endpoint: endpoint!,
      credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID ?? 'x', secretAccessKey: badSecret },
    });
    for (const op of [() => store.put('k', 'v'), () => store.getBytes('k'), () => store.head('k')]) {
      const error = await op().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(S3BlobStoreError);
      expect((error as S3BlobStoreError).status).toBe(403);
      // inspect shows the message, the stack and the SDK error in `cause`: what a logger would print.
      expect(inspect(error, { depth: 20 })).not.toContain(badSecret);
      if (secret) expect(inspect(error, { depth: 20 })).not.toContain(secret);
    }
  });

  it('returns a Node Readable from get that can be piped', async () => {
    const store = new S3BlobStore({ bucket, prefix: `${runPrefix}/readable`, endpoint: endpoint! });
    await store.put('r', 'streamed');
    const stream = await store.get('r');
    expect(stream).toBeInstanceOf(Readable);
    const raw = await rawClient().send(
      new GetObjectCommand({ Bucket: bucket, Key: `${runPrefix}/readable/r` }),
    );
    expect(await raw.Body!.transformToString()).toBe('streamed');
    stream.destroy();
  });
});

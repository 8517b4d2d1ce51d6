/**
 * A blob store on an S3 bucket (AWS S3 or any S3-compatible server), through the AWS SDK v3.
 *
 * `@aws-sdk/client-s3` (and, for uploads from streams, `@aws-sdk/lib-storage`) are OPTIONAL peer dependencies: they
 * are imported on first use, so nothing of the SDK loads unless an s3:// store is actually used.
 *
 * Decisions:
 * - Puts are single PUTs (Uint8Array/string bodies) or lib-storage uploads (streams: one PUT below `partSize`,
 *   multipart above, aborted on error). Both are atomic for readers: S3 shows the old or the complete new object.
 * - With a custom `endpoint` (S3-compatible servers) checksums are sent/validated only where an operation requires
 *   them: the SDK's default CRC32 trailers use `aws-chunked` encoding, which e.g. Swift's s3api rejects (501).
 * - Errors: a missing key is a `BlobNotFoundError`; anything else is an `S3BlobStoreError` naming the operation,
 *   the s3:// URL and S3's error code, with the SDK error as `cause`. No message contains credentials.
 */
import type { Readable } from 'node:stream';
import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import { assertValidBlobKey } from './blob-key.js';
import {
  BlobExistsError,
  type BlobInfo,
  BlobNotFoundError,
  type BlobStore,
  type GetOptions,
  type PutOptions,
  type PutResult,
  type WriteGuarantees,
} from './blob-store.js';

type ClientModule = typeof import('@aws-sdk/client-s3');
type StorageModule = typeof import('@aws-sdk/lib-storage');

/**
 * The part of an S3 client this store relies on; `@aws-sdk/client-s3`'s `S3Client` is one. Declared here, not
 * imported, so that these declarations never need the optional SDK installed (a TypeScript program with
 * `skipLibCheck: false` and no `@aws-sdk/*` still type-checks against `./storage` and `@mlclients/datapackage`).
 */
export interface S3ClientLike {
  /** Send one command (`GetObjectCommand`...). */
  send(command: object, options?: object): Promise<unknown>;
  /** Close the client's sockets. */
  destroy(): void;
}

/** Options of {@link S3BlobStore}. */
export interface S3BlobStoreOptions {
  /** The bucket name. */
  bucket: string;
  /** Key prefix inside the bucket ('team/registry'); keys are relative to it. Leading/trailing slashes are ignored. */
  prefix?: string;
  /** An S3-compatible server ('http://127.0.0.1:18080'). @default AWS S3 */
  endpoint?: string;
  /** @default `AWS_REGION`, `AWS_DEFAULT_REGION`, else 'us-east-1' (AWS redirects to the bucket's region are followed) */
  region?: string;
  /** Path-style URLs (`<endpoint>/<bucket>/<key>`), which most S3-compatible servers need. @default true with `endpoint` */
  forcePathStyle?: boolean;
  /** @default the SDK's credential chain (env, ~/.aws, instance roles, ...) */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** A ready `S3Client` from `@aws-sdk/client-s3`; the options above that configure a client are then ignored. */
  client?: S3ClientLike;
  /** Part size of multipart uploads from streams, in bytes (S3's minimum is 5 MiB). @default 8 MiB */
  partSize?: number;
  /**
   * Parts uploaded in parallel per stream upload. Memory per upload is bounded by `partSize * queueSize` plus the
   * SDK's copies, whatever the object size (measured: about 110 MB above baseline with the defaults, for 128 MiB and
   * for 512 MiB streams alike). @default 4
   */
  queueSize?: number;
  /** Keys per ListObjectsV2 request (S3's maximum is 1000). @default 1000 */
  listPageSize?: number;
  /**
   * Ask S3 to compute and keep a SHA-256 checksum of every object put (`ChecksumAlgorithm: 'SHA256'`), returned as
   * `checksumSha256` by `put` (`head` reports any object's stored checksum either way). Not supported by every
   * S3-compatible server (Swift's s3api ignores it).
   * @default false
   */
  checksumSha256?: boolean;
}

/** An S3 request failed for a reason other than a missing key. */
export class S3BlobStoreError extends Error {
  override readonly name = 'S3BlobStoreError';
  /**
   * Creates a `S3BlobStoreError`.
   *
   * @param message What failed.
   */
  constructor(
    message: string,
    /** S3's error code ('AccessDenied', 'NoSuchBucket', ...), when there was a response. */
    readonly code: string | undefined,
    /** HTTP status, when there was a response. */
    readonly status: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Thrown when the optional AWS SDK packages are not installed. */
export class S3DependencyError extends Error {
  override readonly name = 'S3DependencyError';
}

const MiB = 1024 * 1024;
/** Default multipart part size: 8 MiB keeps Swift's 1000-part limit at 8 GB and AWS's 10,000 at 80 GB. */
const DEFAULT_PART_SIZE = 8 * MiB;
const DEFAULT_QUEUE_SIZE = 4;

/** The package is not installed. Loaders and test runners may wrap the resolver's error: follow `cause`. */
function isModuleNotFound(error: unknown, name: string): boolean {
  for (
    let e = error as { code?: string; message?: string; cause?: unknown } | undefined, depth = 0;
    e && depth < 5;
    depth++
  ) {
    const message = e.message ?? '';
    const notFound =
      e.code === 'ERR_MODULE_NOT_FOUND' ||
      e.code === 'MODULE_NOT_FOUND' ||
      /Cannot find (module|package)/.test(message);
    if (notFound && message.includes(name)) return true;
    e = e.cause as typeof e;
  }
  return false;
}

/** A loader for an optional peer dependency: imported once, an S3DependencyError saying what to install if absent. */
function optionalModule<T>(name: string, importer: () => Promise<T>, hint: string): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= importer().catch((error: unknown) => {
      loading = undefined; // try again next time (installed meanwhile, or a transient failure)
      if (isModuleNotFound(error, name)) throw new S3DependencyError(hint, { cause: error });
      throw error;
    });
    return loading;
  };
}

const loadClientModule = optionalModule<ClientModule>(
  '@aws-sdk/client-s3',
  () => import('@aws-sdk/client-s3'),
  'install @aws-sdk/client-s3 to use s3:// registries (npm install @aws-sdk/client-s3 @aws-sdk/lib-storage: lib-storage uploads streams)',
);
const loadStorageModule = optionalModule<StorageModule>(
  '@aws-sdk/lib-storage',
  () => import('@aws-sdk/lib-storage'),
  'install @aws-sdk/lib-storage to upload streams to s3:// registries (npm install @aws-sdk/lib-storage)',
);

interface SdkError {
  name?: string;
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

function statusOf(error: unknown): number | undefined {
  return (error as SdkError).$metadata?.httpStatusCode;
}

function codeOf(error: unknown): string | undefined {
  const e = error as SdkError;
  return e.Code ?? e.name;
}

/** A missing key (or version): GetObject says NoSuchKey/NoSuchVersion, HeadObject only has the 404 status. */
function isNotFound(error: unknown): boolean {
  const code = codeOf(error);
  if (code === 'NoSuchKey' || code === 'NoSuchVersion' || code === 'NotFound') return true;
  // A 404 about the bucket is a configuration problem, not a missing key.
  return statusOf(error) === 404 && code !== 'NoSuchBucket';
}

function trimSlashes(s: string): string {
  return s.replace(/^\/+|\/+$/g, '');
}

/**
 * A blob store in an S3 bucket (or an S3-compatible server), under an optional key prefix. The AWS SDK is an optional
 * dependency, loaded on the first request; credentials are never shown by `util.inspect` or in messages.
 */
export class S3BlobStore implements BlobStore {
  readonly url: string;
  readonly bucket: string;
  /** The key prefix inside the bucket, '' or ending with '/'. */
  readonly prefix: string;
  // Private fields (not `private`): they hold the credentials, and util.inspect/console.log of a store, or of
  // anything that references one, must not print them.
  readonly #options: S3BlobStoreOptions;
  #client: Promise<S3Client> | undefined;
  /** Whether the server honours `If-None-Match: *` on PUT (probed once, on the first create-only put). */
  #conditionalPuts: Promise<boolean> | undefined;
  /** Whether the bucket has versioning enabled (asked once). */
  #versioned: Promise<boolean> | undefined;

  /**
   * Creates a `S3BlobStore`.
   *
   * @throws TypeError for an invalid bucket name (not shown when it looks like it holds credentials).
   */
  constructor(options: S3BlobStoreOptions) {
    // Letters, digits, '.', '-' (and '_' that some S3-compatible servers allow). This also keeps anything that looks
    // like 'user:secret@' out of `url` and messages.
    if (!/^[A-Za-z0-9._-]+$/.test(options.bucket ?? '')) {
      const shown = /[:@]/.test(options.bucket ?? '')
        ? '(not shown: it contains ":" or "@")'
        : JSON.stringify(options.bucket);
      throw new TypeError(`invalid S3 bucket name ${shown}`);
    }
    this.#options = options;
    this.bucket = options.bucket;
    const prefix = trimSlashes(options.prefix ?? '');
    this.prefix = prefix ? `${prefix}/` : '';
    this.url = `s3://${this.bucket}${prefix ? `/${prefix}` : ''}`;
  }

  /**
   * `s3://bucket[/prefix]`. The endpoint comes from `MLC_S3_ENDPOINT`, `AWS_ENDPOINT_URL_S3` or `AWS_ENDPOINT_URL`
   * (path-style addressing then), region and static credentials from `AWS_REGION`/`AWS_DEFAULT_REGION` and
   * `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN` in `env`; without those keys the SDK's own chain.
   */
  static fromUrl(url: string, env: NodeJS.ProcessEnv = process.env): S3BlobStore {
    const match = /^s3:\/\/([^/?#]+)(\/[^?#]*)?$/i.exec(url);
    if (match?.[1]?.includes('@')) {
      // Never echo it: the part before '@' would be credentials.
      throw new TypeError(
        's3:// URLs cannot carry credentials: use AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or a profile',
      );
    }
    if (!match) throw new TypeError(`not an s3://bucket[/prefix] URL: ${JSON.stringify(url)}`);
    let prefix: string;
    try {
      prefix = decodeURIComponent(match[2] ?? '');
    } catch {
      throw new TypeError(`bad percent-encoding in ${JSON.stringify(url)}`);
    }
    const endpoint = env.MLC_S3_ENDPOINT || env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL || undefined;
    const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined;
    const options: S3BlobStoreOptions = { bucket: match[1]!, prefix };
    if (endpoint) options.endpoint = endpoint;
    if (region) options.region = region;
    if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
      options.credentials = {
        accessKeyId: env.AWS_ACCESS_KEY_ID,
        secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
      };
      if (env.AWS_SESSION_TOKEN) options.credentials.sessionToken = env.AWS_SESSION_TOKEN;
    }
    return new S3BlobStore(options);
  }

  /**
   * The S3 client, created on first use (this is where the optional SDK is loaded). It is an `S3Client` of
   * `@aws-sdk/client-s3`: `store.client<S3Client>()` gives it that type.
   */
  client<Client extends S3ClientLike = S3ClientLike>(): Promise<Client> {
    return this.sdkClient() as Promise<S3ClientLike> as Promise<Client>;
  }

  private sdkClient(): Promise<S3Client> {
    this.#client ??= (async () => {
      const sdk = await loadClientModule();
      // Typed structurally in the options (see S3ClientLike); it is an S3Client of the SDK.
      if (this.#options.client) return this.#options.client as S3Client;
      const { endpoint, region, credentials, forcePathStyle } = this.#options;
      const config: S3ClientConfig = {
        region: region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
        followRegionRedirects: true,
      };
      if (endpoint) {
        config.endpoint = endpoint;
        config.forcePathStyle = forcePathStyle ?? true;
        // S3-compatible servers often lack the aws-chunked trailers the SDK's default checksums need.
        config.requestChecksumCalculation = 'WHEN_REQUIRED';
        config.responseChecksumValidation = 'WHEN_REQUIRED';
      } else if (forcePathStyle !== undefined) {
        config.forcePathStyle = forcePathStyle;
      }
      if (credentials) config.credentials = credentials;
      return new sdk.S3Client(config);
    })();
    this.#client.catch(() => {
      this.#client = undefined;
    });
    return this.#client;
  }

  private fullKey(key: string): string {
    assertValidBlobKey(key);
    return this.prefix + key;
  }

  private fail(operation: string, key: string, error: unknown): Error {
    if (error instanceof S3DependencyError) return error;
    const code = codeOf(error);
    const status = statusOf(error);
    const detail = (error as SdkError).message ?? String(error);
    const what = key ? `${operation} '${key}'` : operation;
    return new S3BlobStoreError(
      `${this.url}: ${what} failed: ${code ?? 'Error'}${status ? ` (HTTP ${status})` : ''}: ${detail}`,
      code,
      status,
      { cause: error },
    );
  }

  /**
   * Runs one S3 request for `key` (validated first, outside the error mapping) and maps its failure in one place: a
   * missing key goes to `notFound` when given, anything else becomes an S3BlobStoreError.
   */
  private async request<T>(
    operation: string,
    key: string,
    send: (client: S3Client, sdk: ClientModule, fullKey: string) => Promise<T>,
    notFound?: () => T,
  ): Promise<T> {
    const fullKey = this.fullKey(key);
    const [client, sdk] = await Promise.all([this.sdkClient(), loadClientModule()]);
    try {
      return await send(client, sdk, fullKey);
    } catch (error) {
      if (notFound && isNotFound(error)) return notFound();
      if (operation === 'put' && (statusOf(error) === 412 || codeOf(error) === 'PreconditionFailed'))
        throw new BlobExistsError(this.url, key);
      throw this.fail(operation, key, error);
    }
  }

  private missing(key: string): never {
    throw new BlobNotFoundError(this.url, key);
  }

  async get(key: string, options?: GetOptions): Promise<Readable> {
    return this.request(
      'get',
      key,
      async (client, sdk, fullKey) => {
        const response = await client.send(
          new sdk.GetObjectCommand({ Bucket: this.bucket, Key: fullKey, VersionId: options?.versionId }),
        );
        // In Node the body is an http.IncomingMessage (a Readable) with the SDK's stream mixin.
        return response.Body as Readable;
      },
      () => this.missing(key),
    );
  }

  async getBytes(key: string, options?: GetOptions): Promise<Uint8Array> {
    return this.request(
      'getBytes',
      key,
      async (client, sdk, fullKey) => {
        const response = await client.send(
          new sdk.GetObjectCommand({ Bucket: this.bucket, Key: fullKey, VersionId: options?.versionId }),
        );
        return response.Body!.transformToByteArray();
      },
      () => this.missing(key),
    );
  }

  async put(key: string, body: Readable | Uint8Array | string, options?: PutOptions): Promise<PutResult> {
    if (options?.ifNoneMatch && !(await this.conditionalPutsSupported())) {
      // Servers without conditional writes (OpenStack Swift's s3api answers 501, older MinIO): check, then write.
      // Not atomic (a concurrent writer can slip in between); data packages stay safe because their object keys are
      // content-addressed and every upload is verified against its hash.
      if (await this.head(key)) throw new BlobExistsError(this.url, key);
      return this.putObject(key, body, { ...options, ifNoneMatch: undefined });
    }
    return this.putObject(key, body, options);
  }

  /**
   * Whether create-only puts are atomic (the server honours `If-None-Match`, probed once) and whether the bucket keeps
   * versions (`GetBucketVersioning` says Enabled; asked once per store).
   */
  async writeGuarantees(): Promise<WriteGuarantees> {
    this.#versioned ??= (async () => {
      const [client, sdk] = await Promise.all([this.sdkClient(), loadClientModule()]);
      try {
        const response = await client.send(new sdk.GetBucketVersioningCommand({ Bucket: this.bucket }));
        return response.Status === 'Enabled';
      } catch (error) {
        throw this.fail('getBucketVersioning', '', error);
      }
    })();
    this.#versioned.catch(() => {
      this.#versioned = undefined;
    });
    const [atomicCreateOnly, versioned] = await Promise.all([
      this.conditionalPutsSupported(),
      this.#versioned,
    ]);
    return { atomicCreateOnly, versioned };
  }

  /**
   * One create-only PUT of an empty probe object (deleted again) tells whether the server supports `If-None-Match`:
   * the answer cannot be learnt from a real upload, whose streamed body could not be sent a second time.
   */
  private conditionalPutsSupported(): Promise<boolean> {
    this.#conditionalPuts ??= (async () => {
      const probe = `.mlc-conditional-put-probe-${globalThis.crypto.randomUUID()}`;
      try {
        await this.putObject(probe, '', { ifNoneMatch: '*' });
      } catch (error) {
        const cause = error instanceof Error ? error.cause : undefined;
        if (statusOf(cause) === 501 || codeOf(cause) === 'NotImplemented') return false;
        this.#conditionalPuts = undefined;
        throw error;
      }
      await this.delete(probe);
      return true;
    })();
    return this.#conditionalPuts;
  }

  private async putObject(
    key: string,
    body: Readable | Uint8Array | string,
    options?: PutOptions,
  ): Promise<PutResult> {
    return this.request('put', key, async (client, sdk, fullKey) => {
      const params = {
        Bucket: this.bucket,
        Key: fullKey,
        ContentType: options?.contentType,
        ChecksumAlgorithm: this.#options.checksumSha256 ? ('SHA256' as const) : undefined,
        // Conditional write: S3 (and compatible servers) answer 412 PreconditionFailed when the key exists.
        IfNoneMatch: options?.ifNoneMatch,
      };
      if (typeof body === 'string' || body instanceof Uint8Array) {
        // The length given explicitly: the SDK cannot always work it out (and then warns about a "Stream of unknown
        // length" and sends no Content-Length).
        const length = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
        const response = await client.send(
          new sdk.PutObjectCommand({ ...params, Body: body, ContentLength: length }),
        );
        return putResult(response.VersionId, response.ChecksumSHA256);
      }
      const { Upload } = await loadStorageModule();
      const upload = new Upload({
        client,
        params: { ...params, Body: body },
        partSize: this.#options.partSize ?? DEFAULT_PART_SIZE,
        queueSize: this.#options.queueSize ?? DEFAULT_QUEUE_SIZE,
        // Abort the multipart upload on failure: no parts left behind, no object created.
        leavePartsOnError: false,
      });
      const response = await upload.done();
      return putResult(response.VersionId, response.ChecksumSHA256);
    });
  }

  async head(key: string): Promise<BlobInfo | undefined> {
    return this.request(
      'head',
      key,
      async (client, sdk, fullKey) => {
        const response = await client.send(
          new sdk.HeadObjectCommand({
            Bucket: this.bucket,
            Key: fullKey,
            // Returns the object's ChecksumSHA256 when it has one (e.g. uploaded by quilt3), which lets a registry
            // compare content without downloading it. Servers without checksums ignore it.
            ChecksumMode: 'ENABLED',
          }),
        );
        const info: BlobInfo = { key, size: response.ContentLength ?? 0 };
        if (response.LastModified) info.lastModified = response.LastModified;
        if (response.VersionId && response.VersionId !== 'null') info.versionId = response.VersionId;
        if (response.ChecksumSHA256) info.checksumSha256 = response.ChecksumSHA256;
        return info;
      },
      () => undefined,
    );
  }

  /** Whether an object exists at the key. */
  async exists(key: string): Promise<boolean> {
    return (await this.head(key)) !== undefined;
  }

  async delete(key: string): Promise<void> {
    await this.request(
      'delete',
      key,
      async (client, sdk, fullKey) => {
        await client.send(new sdk.DeleteObjectCommand({ Bucket: this.bucket, Key: fullKey }));
      },
      () => undefined,
    );
  }

  async *list(prefix: string): AsyncIterable<BlobInfo> {
    const [client, sdk] = await Promise.all([this.sdkClient(), loadClientModule()]);
    const pages = sdk.paginateListObjectsV2(
      { client, ...(this.#options.listPageSize ? { pageSize: this.#options.listPageSize } : {}) },
      // URL-encoded keys: XML cannot carry control characters, so without this one such key breaks the listing.
      { Bucket: this.bucket, Prefix: this.prefix + prefix, EncodingType: 'url' },
    );
    try {
      for await (const page of pages) {
        for (const object of page.Contents ?? []) {
          if (object.Key === undefined) continue;
          const fullKey = page.EncodingType === 'url' ? decodeListedKey(object.Key) : object.Key;
          if (!fullKey.startsWith(this.prefix)) continue;
          const info: BlobInfo = { key: fullKey.slice(this.prefix.length), size: object.Size ?? 0 };
          if (object.LastModified) info.lastModified = object.LastModified;
          yield info;
        }
      }
    } catch (error) {
      throw this.fail('list', prefix, error);
    }
  }
}

/**
 * A key from a listing with `encoding-type=url`. AWS encodes a space as '+' (botocore decodes with unquote_plus),
 * Swift as '%20'; a literal '+' is '%2B' in both, so '+' -> ' ' then percent-decoding is right for both.
 */
function decodeListedKey(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

function putResult(versionId: string | undefined, checksumSha256: string | undefined): PutResult {
  const result: PutResult = {};
  if (versionId && versionId !== 'null') result.versionId = versionId;
  if (checksumSha256) result.checksumSha256 = checksumSha256;
  return result;
}

/** Key checks shared by the stores: '/'-separated, relative, no '.'/'..'/empty segments, no NUL. */
export class InvalidBlobKeyError extends Error {
  override name = 'InvalidBlobKeyError';
  constructor(
    readonly key: string,
    reason: string,
  ) {
    super(`invalid blob key ${JSON.stringify(key)}: ${reason}`);
  }
}

export function assertValidBlobKey(key: string): void {
  if (key.length === 0) throw new InvalidBlobKeyError(key, 'empty');
  if (key.includes('\0')) throw new InvalidBlobKeyError(key, 'contains NUL');
  if (key.startsWith('/')) throw new InvalidBlobKeyError(key, 'must be relative');
  for (const segment of key.split('/')) {
    if (segment === '' || segment === '.' || segment === '..') {
      throw new InvalidBlobKeyError(key, `segment ${JSON.stringify(segment)} is not allowed`);
    }
  }
}

/** Collects a body into one buffer (small objects only). */
export async function bodyToBuffer(body: NodeJS.ReadableStream | Uint8Array | string): Promise<Buffer> {
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Uint8Array) return Buffer.from(body);
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return Buffer.concat(chunks);
}

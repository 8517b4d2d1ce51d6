/** Key checks shared by the stores: '/'-separated, relative, no '.'/'..'/empty segments, no NUL. */
/** A key that is not a '/'-separated relative path (leading '/', '.' or '..' or empty segment, NUL). */
export class InvalidBlobKeyError extends Error {
  override name = 'InvalidBlobKeyError';
  /**
   * Creates an `InvalidBlobKeyError`.
   *
   * @param key The key refused. @param reason Why, for the message.
   */
  constructor(
    readonly key: string,
    reason: string,
  ) {
    super(`invalid blob key ${JSON.stringify(key)}: ${reason}`);
  }
}

/** Why `key` breaks the rules above, or undefined. Package logical keys (datapackage/logical-key.ts) add theirs. */
export function keyProblem(key: string): string | undefined {
  if (key.length === 0) return 'empty';
  if (key.includes('\0')) return 'contains NUL';
  if (key.startsWith('/')) return 'must be relative';
  for (const segment of key.split('/')) {
    if (segment === '' || segment === '.' || segment === '..')
      return `segment ${JSON.stringify(segment)} is not allowed`;
  }
  return undefined;
}

export function assertValidBlobKey(key: string): void {
  const problem = keyProblem(key);
  if (problem) throw new InvalidBlobKeyError(key, problem);
}

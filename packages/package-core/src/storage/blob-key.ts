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
  // Each segment looked at where it lies, without split(): this runs for every key of a push (10,000 and more).
  for (let start = 0; ; ) {
    const slash = key.indexOf('/', start);
    const end = slash === -1 ? key.length : slash;
    if (end === start || (end - start <= 2 && key.startsWith(end - start === 1 ? '.' : '..', start)))
      return `segment ${JSON.stringify(key.slice(start, end))} is not allowed`;
    if (slash === -1) return undefined;
    start = slash + 1;
  }
}

export function assertValidBlobKey(key: string): void {
  const problem = keyProblem(key);
  if (problem) throw new InvalidBlobKeyError(key, problem);
}

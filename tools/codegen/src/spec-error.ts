/** A problem in a spec file, located at a line and column so an editor can jump to it. */
export class SpecError extends Error {
  override readonly name = 'SpecError';
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}:${column}: ${reason}`);
  }
}

/** Options every command honours. */
export interface GlobalOptions {
  /** Machine-readable output on stdout. */
  json?: boolean;
  /** No progress bars. */
  quiet?: boolean;
}

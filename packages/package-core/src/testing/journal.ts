/**
 * What a fake saw and answered, with secrets redacted: the journal ends up in assertion failures, CI logs and
 * `GET /_mock/journal`, so a token, password or issued credential never appears in it.
 */

/** What the journal shows instead of a secret. */
export const REDACTED = '[redacted]';

/** One request the fake answered. */
export interface JournalEntry {
  operationId: string;
  method: string;
  path: string;
  /** The parsed JSON body the client sent (secret values redacted, keys kept); undefined when empty or malformed. */
  body: Record<string, unknown> | undefined;
  status: number;
  /** What the fake answered: parsed JSON (secrets redacted), or the text of a `text/*` answer. */
  response: unknown;
  contentType: string;
  /** True when an injected fault answered instead of the fake's own logic. */
  injected: boolean;
}

/** Copy `value` with the value of every key in `secretKeys` (at any depth) replaced by {@link REDACTED}. */
export function redactSecrets<T>(value: T, secretKeys: ReadonlySet<string>): T {
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, secretKeys)) as T;
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] = secretKeys.has(k) && v !== undefined && v !== null ? REDACTED : redactSecrets(v, secretKeys);
  }
  return out as T;
}

/** Entries in arrival order. `entries` is a plain array so tests can filter it and reset it (`length = 0`). */
export class Journal {
  readonly entries: JournalEntry[] = [];
  private readonly secretKeys: ReadonlySet<string>;
  /** Oldest entries are dropped past this many (a long-running mock server stays bounded). @default 2000 */
  readonly limit: number;

  /**
   * Creates a `Journal`.
   *
   * @param options `secretKeys`: body fields whose values are masked when recorded; `limit`: entries kept.
   */
  constructor(options: { secretKeys?: Iterable<string>; limit?: number } = {}) {
    this.secretKeys = new Set(options.secretKeys ?? []);
    this.limit = options.limit ?? 2_000;
  }

  /** Record an entry; body and response are redacted here, so nothing unredacted is ever stored. */
  record(entry: JournalEntry): void {
    this.entries.push({
      ...entry,
      body: redactSecrets(entry.body, this.secretKeys),
      response: redactSecrets(entry.response, this.secretKeys),
    });
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
  }

  /** Forget every entry. */
  clear(): void {
    this.entries.length = 0;
  }
}

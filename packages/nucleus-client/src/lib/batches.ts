/**
 * Running batches of one bulk upload: up to `concurrency` requests at once (p-limit), each batch's outcome recorded
 * against its items' indexes, so a failed batch never touches the accounting of another and an item is counted
 * exactly once. The core's retry loop runs inside each batch request.
 */
import { AbortError, type RequestOptions } from '@mlclients/package-core';
import pLimit from 'p-limit';

/** One item that failed after the retries: its index in the call, its key, and why. */
export interface ItemFailure {
  index: number;
  reference_id: string | undefined;
  error: unknown;
}

/** A slice of the caller's list. */
export interface Batch<T> {
  /** Index of the first element in the caller's list. */
  start: number;
  items: T[];
}

/** Split a list into batches of `size`. */
export function toBatches<T>(list: readonly T[], size: number, start = 0): Batch<T>[] {
  const out: Batch<T>[] = [];
  for (let i = 0; i < list.length; i += size) out.push({ start: start + i, items: list.slice(i, i + size) });
  return out;
}

/** Check a batch size / concurrency option before sending, naming it. */
export function checkCount(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max)
    throw new RangeError(`${name}: expected an integer from ${min} to ${max}, got ${String(value)}`);
}

/**
 * Run `send` for each batch, at most `concurrency` at once. A batch that throws is reported through `onFailure`
 * (the others go on); an abort stops scheduling and rejects with the abort.
 */
export async function runBatches<T>(
  batches: readonly Batch<T>[],
  concurrency: number,
  send: (batch: Batch<T>, options: RequestOptions) => Promise<void>,
  onFailure: (batch: Batch<T>, error: unknown) => void,
  signal?: AbortSignal,
): Promise<void> {
  const limit = pLimit(concurrency);
  let aborted: unknown;
  await Promise.all(
    batches.map((batch) =>
      limit(async () => {
        if (signal?.aborted) {
          aborted ??= signal.reason;
          return;
        }
        try {
          await send(batch, signal ? { signal } : {});
        } catch (error) {
          if (error instanceof AbortError || signal?.aborted) {
            aborted ??= error;
            return;
          }
          onFailure(batch, error);
        }
      }),
    ),
  );
  if (aborted !== undefined) {
    if (aborted instanceof AbortError) throw aborted;
    throw new AbortError('bulk upload aborted: batches not yet sent were not sent', { cause: aborted });
  }
}

/**
 * Waiting for work that runs side by side without leaving any of it running: every promise settles first, then the
 * first failure in the order given is thrown. `Promise.all` would reject at the first failure while the rest still
 * ran (a flush still writing, a file still being renamed), so a caller could clean up or report under their feet.
 */
export async function settleAll(promises: readonly (Promise<unknown> | undefined)[]): Promise<void> {
  for (const outcome of await Promise.allSettled(promises))
    if (outcome.status === 'rejected') throw outcome.reason;
}

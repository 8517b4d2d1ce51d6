/**
 * `#intercepted-body` everywhere but Node (the `default` condition of package.json `imports`). A browser has no
 * `http.ClientRequest` to intercept: MSW's service worker hands the fake the page's own fetch Request, whose body is
 * read directly, so there is never an intercepted stream to look up.
 */
import type { ChunkStream } from './node.js';

export type { ChunkStream };

/** Always undefined here (see above). */
export async function interceptedBodyStream(_request: Request): Promise<ChunkStream | undefined> {
  return undefined;
}

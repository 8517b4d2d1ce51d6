/**
 * `#platform` everywhere but Node (the `default` condition of package.json `imports`): browsers, workers, edge
 * runtimes. fetch cannot send a GET with a body and there is no `node:http`, so there is no such transport here.
 */
import type { RawTransport } from '../transport.js';

export const createNodeHttp:
  | ((tooLarge: (operation: string, limitBytes: number) => Error) => RawTransport)
  | undefined = undefined;

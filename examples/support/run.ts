/**
 * Each example exports one async function taking the running services and returning the line it prints. Run a file
 * directly (`npx tsx examples/hub-iterate.ts`) and {@link runAsProgram} starts the fakes, runs it and stops them;
 * imported (by `npm start`'s tour or the examples' test) it does nothing and the caller passes its own services.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Services, startServices } from './services.js';

/** One example: what it does, against the given services; resolves to the one line it reports. */
export type Example = (services: Services) => Promise<string>;

/** Run `example` when `moduleUrl` is the program node was started with. */
export async function runAsProgram(moduleUrl: string, example: Example): Promise<void> {
  const main = process.argv[1];
  if (!main || realpathSync(main) !== realpathSync(fileURLToPath(moduleUrl))) return;
  const services = await startServices();
  try {
    console.log(await example(services));
  } finally {
    await services.close();
  }
}

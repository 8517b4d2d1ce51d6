#!/usr/bin/env node
/** Entry point of the `datapkg` bin: runs the program; known errors print one line to stderr and exit 1. */
import { helpOnMainThread } from '../hashing/worker-pool.js';
import { keepYoungGenerationSmall } from '../hashing/young-generation.js';
import { createProgram } from './program.js';

// The AWS SDK warns on every process under Node 20 that its support ends; a CLI user cannot act on it and it buries
// the command's own output. Only the bin does this: the library never touches the environment.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// A command has nothing else for the main thread to do while its hashing workers are busy: it takes a share of their
// batches (a library leaves its caller's event loop alone).
helpOnMainThread();

async function main(): Promise<void> {
  try {
    const program = await createProgram(process.argv.slice(2));
    // Its heap is mostly objects that live until it ends: a young generation left small costs fewer fresh pages than
    // it saves in collections (see young-generation.ts). Only now that the command's modules are loaded: a changed V8
    // flag makes Node compile the built-in modules loaded after it without their embedded code cache.
    keepYoungGenerationSmall();
    await program.parseAsync(process.argv);
  } catch (error) {
    const err = error as Error;
    const known =
      err instanceof Error &&
      /Error$/.test(err.name) &&
      err.name !== 'TypeError' &&
      err.name !== 'ReferenceError';
    process.stderr.write(`datapkg: ${known ? err.message : (err.stack ?? String(err))}\n`);
    process.exitCode = 1;
  }
}

await main();
// Every command awaits all it starts, so it is done here. Exiting now skips Node freeing the heap page by page on the
// way out (~100 ms after an install of 10,000 files, measured). What was written to stdout and stderr goes out first:
// an empty write's callback runs once everything queued before it is written ('drain' would only come after a write
// that had been refused, so waiting for it could hang on a slow reader).
for (const stream of [process.stdout, process.stderr]) {
  if (stream.writableLength > 0 && !stream.destroyed) {
    await new Promise<void>((resolve) => {
      stream.once('error', () => resolve());
      stream.write('', () => resolve());
    });
  }
}
process.exit();

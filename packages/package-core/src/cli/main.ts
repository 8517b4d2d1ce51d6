#!/usr/bin/env node
/** Entry point of the `datapkg` bin: runs the program; known errors print one line to stderr and exit 1. */
import { createProgram } from './program.js';

async function main(): Promise<void> {
  try {
    await createProgram().parseAsync(process.argv);
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

#!/usr/bin/env node
/** Entry point of the `sc` bin: runs the program; an error prints one line to stderr and exits 1. */
import { createProgram } from './program.js';

async function main(): Promise<void> {
  try {
    await createProgram().parseAsync(process.argv);
  } catch (error) {
    const err = error as Error;
    const known = err instanceof Error && err.name !== 'TypeError' && err.name !== 'ReferenceError';
    // One line: the first line of the message (a dataset's problem list follows on the next lines, indented).
    process.stderr.write(`sc: ${known ? err.message : (err.stack ?? String(err))}\n`);
    process.exitCode = 1;
  }
}

await main();

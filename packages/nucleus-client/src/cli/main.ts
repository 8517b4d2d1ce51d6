#!/usr/bin/env node
/** Entry point of the `nu` bin (bin/nu.js imports the built copy of this file). */
import { runCli } from './program.js';

// `nu items list -m | head -1`: the reader went away; stop quietly as other Unix tools do, without a stack trace.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });

process.exitCode = await runCli(process.argv.slice(2));

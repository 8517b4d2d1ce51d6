#!/usr/bin/env node
/** Entry point of the `nu` bin (bin/nu.js imports the built copy of this file). */
import { runCli } from './program.js';

process.exitCode = await runCli(process.argv.slice(2));

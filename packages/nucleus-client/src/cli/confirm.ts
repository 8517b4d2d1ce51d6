/** A typed confirmation (`Type 'DELETE' to delete dataset: ...`), read from stdin, terminal or pipe. */
import { createInterface } from 'node:readline/promises';
import type { CliIo } from './io.js';

/** The line the user typed (trimmed), or '' when stdin ends first. */
export async function ask(io: CliIo, question: string): Promise<string> {
  const rl = createInterface({
    input: io.stdin,
    output: io.stderr as NodeJS.WritableStream,
    terminal: false,
  });
  try {
    const ended = new Promise<string>((resolve) => rl.once('close', () => resolve('')));
    io.stderr.write(question);
    return (await Promise.race([rl.question(''), ended])).trim();
  } finally {
    rl.close();
  }
}

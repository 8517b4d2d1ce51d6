/**
 * `npm run mock -- <service> [--port N] [--host 127.0.0.1] [--latency MS] [--seed FILE] [--prism]`
 *
 * Serves the service's stateful fake over HTTP and prints exactly one line when ready,
 * `<service> fake on http://127.0.0.1:<port>` (`<service> prism on ...` with `--prism`), then runs until SIGINT or
 * SIGTERM. Errors go to stderr with exit code 2 (bad arguments or seed) or 1.
 */
import { Command, InvalidArgumentError } from 'commander';
import { startPrism } from './prism.js';
import { serviceNames, services } from './registry.js';
import { SeedError } from './seed.js';
import { startMockServer, UnknownServiceError } from './server.js';

function integer(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max)
      throw new InvalidArgumentError(`${name}: expected an integer from ${min} to ${max}`);
    return n;
  };
}

const program = new Command('mock')
  .description('Serve a service fake over HTTP on 127.0.0.1 (control routes under /_mock/).')
  .argument('<service>', `one of: ${serviceNames().join(', ')}`)
  .option('--port <n>', 'port to listen on (0 = a free port)', integer('--port', 0, 65535), 4010)
  .option('--host <host>', 'interface to bind', '127.0.0.1')
  .option('--latency <ms>', 'delay before every answer', integer('--latency', 0, 600_000), 0)
  .option('--seed <file>', 'JSON file: { "<resource>": [objects], "_tokens": ["..."] }')
  .option('--prism', "serve Prism's stateless mock of the spec instead of the fake")
  .showHelpAfterError()
  .action(
    async (
      service: string,
      opts: { port: number; host: string; latency: number; seed?: string; prism?: boolean },
    ) => {
      const entry = services[service];
      if (!entry)
        throw new UnknownServiceError(`unknown service "${service}" (known: ${serviceNames().join(', ')})`);
      let stop: () => Promise<void>;
      if (opts.prism) {
        const prism = await startPrism(entry.spec, opts.host, opts.port);
        stop = prism.stop;
        prism.child.once('exit', (code) => {
          if (!stopping) {
            process.stderr.write(`Prism exited (${code})\n`);
            process.exit(1);
          }
        });
        process.stdout.write(`${service} prism on ${prism.url}\n`);
      } else {
        const server = await startMockServer(service, {
          port: opts.port,
          host: opts.host,
          latencyMs: opts.latency,
          ...(opts.seed ? { seed: opts.seed } : {}),
        });
        stop = server.close;
        process.stdout.write(`${service} fake on ${server.url}\n`);
      }
      let stopping = false;
      const shutdown = () => {
        if (stopping) return;
        stopping = true;
        void stop().then(() => process.exit(0));
      };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
    },
  );

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.stderr.write(`mock: ${(error as Error).message}\n`);
  process.exit(error instanceof SeedError || error instanceof UnknownServiceError ? 2 : 1);
}

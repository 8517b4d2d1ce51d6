/**
 * `npm run proxy -w @mlclients/browser-test -- --upstream <url> [--port 8787] [--host 127.0.0.1]`: the
 * method-override proxy standalone. Prints `proxy on http://host:port -> <upstream>` once it listens; stops on
 * SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { startMethodOverrideProxy } from './method-override-proxy.js';

const { values } = parseArgs({
  options: {
    upstream: { type: 'string' },
    port: { type: 'string', default: '8787' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});
const port = Number(values.port);
if (!values.upstream) {
  process.stderr.write('proxy: --upstream <url> is required, e.g. --upstream https://app.auger.ai\n');
  process.exit(2);
}
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`proxy: --port: expected an integer from 0 to 65535, got "${values.port}"\n`);
  process.exit(2);
}
const proxy = await startMethodOverrideProxy({ upstream: values.upstream, host: values.host, port });
process.stdout.write(`proxy on ${proxy.url} -> ${values.upstream}\n`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void proxy.close());

/**
 * Copying someone else's package never reads a local file or a URL just because its manifest names one: a browsed
 * package's `file://` and `http(s)://` physical keys are pushed only with `allowLocal` / `allowUrl` (the CLI's
 * `--allow-local` / `--allow-url`), while the user's own files and the objects of a registry are copied as before.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObjectHashMismatchError, UntrustedSourceError } from '../src/errors.js';
import { Package } from '../src/package.js';
import { PackageBuilder } from '../src/package-builder.js';
import { PackageRegistry } from '../src/registry.js';
import { tempDir, writeTree } from './helpers.js';

let work: Awaited<ReturnType<typeof tempDir>>;
let server: Server;
let internalUrl: string;
let n = 0;
const fresh = (name: string) => join(work.path, `${name}-${n++}`);

beforeAll(async () => {
  work = await tempDir('dp-untrusted-');
  process.env.MLC_DATAPKG_CACHE_DIR = join(work.path, 'cache');
  // An "internal" service only this machine can reach.
  server = createServer((_request, response) => response.end('INTERNAL=metadata-credentials'));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  internalUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/latest/credentials`;
});
afterAll(async () => {
  await new Promise((done) => server.close(done));
  await work.cleanup();
});

/** What an attacker publishes: a manifest whose entries point at a file on the victim's machine and at a URL. */
async function publishHostile(registry: string, secretPath: string): Promise<void> {
  const builder = new PackageBuilder();
  builder.set('readme.txt', await writeFileIn('readme.txt', 'harmless'));
  builder.set('secret.env', secretPath);
  builder.set('credentials.json', internalUrl);
  await builder.build();
  await builder.pushData(registry, { name: 'them/bait', selector: (key) => key === 'readme.txt' });
  await builder.pushManifest(registry, 'them/bait', { allowLocalFiles: true });
}

async function writeFileIn(name: string, content: string): Promise<string> {
  const dir = fresh('files');
  await writeTree(dir, { [name]: content });
  return join(dir, name);
}

async function objectsIn(url: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const info of (await PackageRegistry.open(url)).store.list('mine/')) keys.push(info.key);
  return keys.sort();
}

describe("pushing a copy of someone else's package", () => {
  it('refuses their local-file and URL keys, naming the entry and the opt-in, before copying anything', async () => {
    const theirs = `memory://theirs-${n++}`;
    await publishHostile(theirs, await writeFileIn('secret.env', 'SECRET=hunter2'));
    const mine = pathToFileURL(fresh('mine')).href;
    const copy = (await Package.browse('them/bait', { registry: theirs })).asBuilder();

    const error = await copy.push(mine, 'mine/copy').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UntrustedSourceError);
    expect(String(error)).toMatch(/"credentials\.json" from http:\/\/127\.0\.0\.1:\d+\/latest\/credentials/);
    expect(String(error)).toMatch(/--allow-url/);
    expect(await objectsIn(mine)).toEqual([]);

    const withUrls = await copy.push(mine, 'mine/copy', { allowUrl: true }).catch((e: unknown) => e);
    expect(withUrls).toBeInstanceOf(UntrustedSourceError);
    expect(String(withUrls)).toMatch(/"secret\.env" from file:\/\/.*secret\.env.*--allow-local/);
  });

  it('copies them when the user opts in, verifying the bytes against the manifest', async () => {
    const theirs = `memory://theirs-${n++}`;
    await publishHostile(theirs, await writeFileIn('secret.env', 'SECRET=hunter2'));
    const mine = pathToFileURL(fresh('mine')).href;
    const copy = (await Package.browse('them/bait', { registry: theirs })).asBuilder();
    const pkg = await copy.push(mine, 'mine/copy', { allowLocal: true, allowUrl: true, force: true });
    expect(Buffer.from(await pkg.entry('credentials.json').bytes()).toString()).toBe(
      'INTERNAL=metadata-credentials',
    );
    expect(await objectsIn(mine)).toEqual([
      'mine/copy/credentials.json',
      'mine/copy/readme.txt',
      'mine/copy/secret.env',
    ]);
  });

  it("a filtered copy or one merged with addPackage is refused too; the user's own files are not", async () => {
    const theirs = `memory://theirs-${n++}`;
    await publishHostile(theirs, await writeFileIn('secret.env', 'SECRET=hunter2'));
    const pkg = await Package.browse('them/bait', { registry: theirs });
    const mine = pathToFileURL(fresh('mine')).href;

    const filtered = pkg.filter((key) => key !== 'credentials.json');
    await expect(filtered.push(mine, 'mine/filtered')).rejects.toThrow(UntrustedSourceError);

    const merged = new PackageBuilder().set('own.txt', await writeFileIn('own.txt', 'mine'));
    merged.addPackage(pkg, { prefix: 'theirs' });
    await expect(merged.push(mine, 'mine/merged')).rejects.toThrow(/"theirs\/credentials\.json" from http/);

    // Replacing the entry with a file the user chose makes it theirs to push.
    merged.delete('theirs/credentials.json');
    merged.set('theirs/secret.env', await writeFileIn('secret.env', 'a file I picked'));
    const pushed = await merged.push(mine, 'mine/merged');
    expect(pushed.keys().sort()).toEqual(['own.txt', 'theirs/readme.txt', 'theirs/secret.env']);
  });

  it('objects inside a local registry are not local files: a copy to another registry needs no opt-in', async () => {
    const source = pathToFileURL(fresh('registry')).href;
    const original = new PackageBuilder().set('a.txt', await writeFileIn('a.txt', 'registry object'));
    await original.push(source, 'team/data');
    const copy = (await Package.browse('team/data', { registry: source })).asBuilder();
    const target = `memory://target-${n++}`;
    const pushed = await copy.push(target, 'team/data');
    expect(Buffer.from(await pushed.entry('a.txt').bytes()).toString()).toBe('registry object');
  });
});

describe('physical keys in messages', () => {
  it('a pre-signed URL is shown without its signature or credentials', () => {
    const url =
      'https://bucket.s3.amazonaws.com/a.bin?X-Amz-Credential=AKIAEXAMPLE&X-Amz-Signature=deadbeefcafe';
    const mismatch = new ObjectHashMismatchError('a.bin', 'sha2-256-chunked', 'abc', 'def', url);
    expect(mismatch.message).toContain('https://bucket.s3.amazonaws.com/a.bin?');
    for (const secret of ['AKIAEXAMPLE', 'deadbeefcafe']) expect(mismatch.message).not.toContain(secret);
    // Other keys are shown exactly as the manifest has them.
    const local = new ObjectHashMismatchError('b', 'SHA256', 'abc', 'def', 'file:///data/a%20b?x');
    expect(local.message).toContain('(file:///data/a%20b?x)');
  });
});

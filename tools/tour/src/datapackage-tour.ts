/**
 * A quilt3-compatible data package: build, push to a local registry, install, verify, change one file, repair.
 * Everything lives in a temporary folder that is removed at the end.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Package, PackageBuilder } from '@mlclients/datapackage';

export async function dataPackageTour(): Promise<void> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'mlclients-tour-'));
  try {
    const source = path.join(work, 'source');
    await mkdir(path.join(source, 'images'), { recursive: true });
    await writeFile(path.join(source, 'README.md'), '# Blocks\nSixteen images of blocks.\n');
    for (let i = 0; i < 16; i++)
      await writeFile(path.join(source, 'images', `${i}.txt`), `block ${i}\n`.repeat(100));
    const registry = `file://${path.join(work, 'registry')}`;
    const settings = { cacheDir: path.join(work, 'cache') };

    const builder = new PackageBuilder(settings);
    builder.set('README.md', path.join(source, 'README.md'));
    await builder.setDir('images', path.join(source, 'images'));
    builder.setMeta('images/0.txt', { label: 'cube' });
    const topHash = await builder.build({ message: 'first version' });
    console.log(`built tour/blocks: ${builder.keys().length} entries, top hash ${topHash.slice(0, 12)}...`);
    await builder.push(registry, 'tour/blocks', { message: 'first version' });
    console.log(`pushed data and manifest to ${registry}`);

    const pkg = await Package.browse('tour/blocks', { registry, ...settings });
    console.log(
      `browse: ${pkg.ls('images/').length} entries under images/, readme says "${(await pkg.readme()).split('\n')[0]}"`,
    );
    const dest = path.join(work, 'installed');
    const installed = await pkg.install(dest);
    console.log(
      `install: ${installed.transferred.length} files, ${installed.bytesTransferred} bytes; getMetadata('images/0.txt') = ${JSON.stringify(pkg.getMetadata('images/0.txt'))}`,
    );
    await writeFile(path.join(dest, 'images', '3.txt'), 'changed by hand\n');
    const check = await pkg.verify(dest);
    console.log(
      `verify after editing one file: matches=${check.matches}, changed=${check.changed.join(', ')}`,
    );
    const repaired = await pkg.forceMatch(dest);
    console.log(
      `forceMatch: transferred ${repaired.transferred.join(', ')} (${repaired.bytesTransferred} bytes), matches=${repaired.matches}`,
    );
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

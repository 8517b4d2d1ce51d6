/**
 * The root entry under the `browser` condition (src/browser.ts) against the Node one (src/index.ts): the same names,
 * so an import that works on Node bundles for a page too, and the Node-only workflows fail there with a ClientError
 * naming the function.
 */
import { ClientError } from '@mlclients/package-core';
import { describe, expect, it } from 'vitest';
import * as onBrowser from '../src/browser.js';
import * as onNode from '../src/index.js';

describe('the browser entry', () => {
  it('exports exactly the names of the Node entry, most of them the very same values', () => {
    const node: Record<string, unknown> = { ...onNode };
    const browser: Record<string, unknown> = { ...onBrowser };
    expect(Object.keys(browser).sort()).toEqual(Object.keys(node).sort());
    const differing = Object.keys(node).filter((name) => node[name] !== browser[name]);
    expect(differing.sort()).toEqual([
      'createProjectSingleTaskFromDataset',
      'createTaskChainProjectFromDataset',
      'downloadAllProjects',
      'downloadProject',
      'readCocoDataset',
      'uploadAllProjects',
      'uploadProject',
      'verifyBackup',
      'writeBackupManifest',
    ]);
  });

  it('each Node-only workflow rejects with a ClientError naming itself, before touching anything', async () => {
    const sc = new onBrowser.ScClient({ host: 'https://sc.test', token: 't', fetch: () => Promise.reject() });
    const calls: [string, Promise<unknown>][] = [
      ['downloadProject', onBrowser.downloadProject(sc, 'p', 'backup/p')],
      ['uploadProject', onBrowser.uploadProject(sc, 'backup/p')],
      ['downloadAllProjects', onBrowser.downloadAllProjects(sc, 'backup')],
      ['uploadAllProjects', onBrowser.uploadAllProjects(sc, 'backup')],
      ['verifyBackup', onBrowser.verifyBackup('backup/p')],
      ['writeBackupManifest', onBrowser.writeBackupManifest('backup/p', 'p')],
      ['readCocoDataset', onBrowser.readCocoDataset('a.json', 'images')],
      ['createProjectSingleTaskFromDataset', onBrowser.createProjectSingleTaskFromDataset(sc, {} as never)],
      ['createTaskChainProjectFromDataset', onBrowser.createTaskChainProjectFromDataset(sc, {} as never)],
    ];
    for (const [name, call] of calls) {
      const error = await call.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ClientError);
      expect((error as Error).message).toMatch(new RegExp(`^${name}\\(\\) .*: it needs Node\\.js`));
    }
  });
});

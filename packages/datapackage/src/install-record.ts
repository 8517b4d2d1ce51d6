/**
 * What `install` records about a destination, kept in the user's state folder (state-dir.ts), not in the destination,
 * so the folder holds only the package's files (quilt3's `verify` finds no extra file):
 * `<state>/installs/<sha256 of the folder's real path>/installed.json` (registry, name, top hash, when, and which
 * folder: its real path, inode and birth time, so a folder deleted and made again at that path is not taken for the installed
 * one) and `<top hash>.jsonl`, the installed manifest byte-exact, so `status` and `hash` work offline. The record is
 * replaced atomically inside the install's transaction (install-transaction.ts). Folders installed by earlier
 * versions kept both files in `<dest>/.datapkg/`; they are still read, and the next install moves them out.
 */
import { createHash } from 'node:crypto';
import { lstat, mkdir, readdir, readFile, realpath, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { writeFileAtomic } from '@mlclients/package-core/storage';
import type { Manifest } from './manifest.js';
import { manifestLines, readManifest } from './manifest-format.js';
import { defaultStateDir, STATE_DIR } from './state-dir.js';

export interface InstallRecord {
  registry: string;
  name: string;
  topHash: string;
  installedAt: string;
}

/** The record as stored: which folder it describes, by real path and identity. */
interface StoredRecord extends InstallRecord {
  folder: { path: string; dev: string; ino: string; birthtimeNs: string };
}

const RECORD_FILE = 'installed.json';
/** The files an earlier version kept in `<dest>/.datapkg/`. */
export const LEGACY_RECORD_FILES: readonly string[] = ['installed.json', 'installed.jsonl'];
const LEGACY_MANIFEST_FILE = 'installed.jsonl';

/** A change of the record, as the install journal keeps it: the record file's text before and after. */
export interface RecordChange {
  /** The destination's record folder in the state folder. */
  folder: string;
  before: string | null;
  after: string;
  /** The manifest file this install wrote into the record folder (absent: it was there already). */
  writtenManifest?: string;
}

async function folderIdentity(dir: string): Promise<StoredRecord['folder']> {
  const path = await realpath(dir);
  const info = await stat(path, { bigint: true });
  // An inode number is reused at once for a folder made again; its birth time is not (0 where not supported).
  return { path, dev: String(info.dev), ino: String(info.ino), birthtimeNs: String(info.birthtimeNs) };
}

function recordFolder(stateDir: string, realPath: string): string {
  return join(stateDir, 'installs', createHash('sha256').update(realPath).digest('hex'));
}

/**
 * Writes the manifest of a coming install into the state folder (removed again by discardWrittenManifest if the
 * install fails) and returns the record change for the transaction. `dest` must exist. `manifest`: the manifest, or
 * the bytes of the manifest file it was read from (written as they are: readManifest reads them back to the same
 * manifest).
 */
export async function prepareRecordChange(
  stateDir: string,
  dest: string,
  record: InstallRecord,
  manifest: Manifest | Uint8Array,
): Promise<RecordChange> {
  const identity = await folderIdentity(dest);
  const folder = recordFolder(stateDir, identity.path);
  await mkdir(folder, { recursive: true });
  const manifestFile = join(folder, `${record.topHash}.jsonl`);
  const present = await lstat(manifestFile).then(
    (s) => s.isFile(),
    () => false,
  );
  if (!present)
    await writeFileAtomic(
      manifestFile,
      manifest instanceof Uint8Array ? manifest : await manifestTextYielding(manifest),
    );
  const before = await readFile(join(folder, RECORD_FILE), 'utf8').catch(() => null);
  const stored: StoredRecord = { ...record, folder: identity };
  const after = `${JSON.stringify(stored, null, 2)}\n`;
  return present ? { folder, before, after } : { folder, before, after, writtenManifest: manifestFile };
}

/**
 * After an install that failed (nothing committed, or rolled back): removes the manifest it wrote, unless the record
 * names it (a roll back that could not put the record back).
 */
export async function discardWrittenManifest(change: RecordChange): Promise<void> {
  if (!change.writtenManifest) return;
  const recorded = await readFile(join(change.folder, RECORD_FILE), 'utf8').then(
    (text) => `${(JSON.parse(text) as StoredRecord).topHash}.jsonl`,
    () => undefined,
  );
  if (recorded !== basename(change.writtenManifest)) await rm(change.writtenManifest, { force: true });
}

/** Lines serialised between two turns of the event loop. */
const LINES_PER_TURN = 1000;

/**
 * writeManifest's text, built a slice of lines at a time: install prepares the record while the hash workers stage
 * the objects, and a worker that finishes a batch waits for this thread to hand it the next one.
 */
async function manifestTextYielding(manifest: Manifest): Promise<string> {
  let out = '';
  let lines = 0;
  for (const line of manifestLines(manifest)) {
    out += `${line}\n`;
    if (++lines % LINES_PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  return out;
}

/** Puts the record file in the state the text says (`null`: no record), atomically. */
export async function applyRecordText(folder: string, text: string | null): Promise<void> {
  if (text === null) await rm(join(folder, RECORD_FILE), { force: true });
  else await writeFileAtomic(join(folder, RECORD_FILE), text);
}

/** After a committed install: drops the manifests of versions the record no longer names. */
export async function pruneRecordManifests(change: RecordChange): Promise<void> {
  const keep = `${(JSON.parse(change.after) as StoredRecord).topHash}.jsonl`;
  for (const name of await readdir(change.folder).catch(() => [] as string[])) {
    if (name.endsWith('.jsonl') && name !== keep) await rm(join(change.folder, name), { force: true });
  }
}

/**
 * The package installed in `dir`: its record in the state folder, else (a folder installed by an earlier version) the
 * files in `<dir>/.datapkg/`; undefined when neither exists.
 */
export async function readInstallRecord(
  dir: string,
  stateDir: string = defaultStateDir(),
): Promise<{ record: InstallRecord; manifest: Manifest } | undefined> {
  const identity = await folderIdentity(dir).catch(() => undefined);
  if (!identity) return undefined;
  const folder = recordFolder(stateDir, identity.path);
  const text = await readFile(join(folder, RECORD_FILE), 'utf8').catch(notFound);
  if (text !== undefined) {
    const stored = JSON.parse(text) as StoredRecord;
    // The same path, but another folder (deleted and made again): not what was installed.
    const same = ['dev', 'ino', 'birthtimeNs'] as const;
    if (same.every((field) => stored.folder?.[field] === identity[field])) {
      const manifest = readManifest(await readFile(join(folder, `${stored.topHash}.jsonl`)));
      const { folder: _folder, ...record } = stored;
      return { record, manifest };
    }
  }
  const legacy = await readFile(join(identity.path, STATE_DIR, RECORD_FILE), 'utf8').catch(notFound);
  if (legacy === undefined) return undefined;
  const manifest = readManifest(await readFile(join(identity.path, STATE_DIR, LEGACY_MANIFEST_FILE)));
  return { record: JSON.parse(legacy) as InstallRecord, manifest };
}

function notFound(error: NodeJS.ErrnoException): undefined {
  if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
  throw error;
}

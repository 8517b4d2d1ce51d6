/**
 * Errors of the data-package layer. Every class extends `PackageError`, so callers can catch the whole family;
 * names carry a `Package`/`Manifest`/`Registry` prefix so they never clash with the HTTP runtime's error names.
 */
import { join } from 'node:path';
import { redactUrl } from '@mlclients/package-core/storage';
import { STATE_DIR } from './state-dir.js';

/**
 * A physical key as a message shows it: an http(s) URL (a pre-signed one carries a signature and credentials in its
 * query) with those values masked; other keys as they are.
 */
export function shownPhysicalKey(physicalKey: string): string {
  return /^https?:\/\//i.test(physicalKey) ? redactUrl(physicalKey) : physicalKey;
}

/** The base of every data-package error: catching it catches the whole family. */
export class PackageError extends Error {
  override name = 'PackageError';
}

/** A manifest file that is not valid quilt3 JSONL: names the line (1-based) and what is wrong. */
export class ManifestFormatError extends PackageError {
  override name = 'ManifestFormatError';
  /** Creates a `ManifestFormatError` (see the class). */
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(line === undefined ? message : `manifest line ${line}: ${message}`);
  }
}

/** A logical key that could escape the package root or is otherwise malformed ('..', '//', NUL, leading '/'). */
export class InvalidLogicalKeyError extends PackageError {
  override name = 'InvalidLogicalKeyError';
  /** Creates an `InvalidLogicalKeyError` (see the class). */
  constructor(
    readonly logicalKey: string,
    readonly reason: string,
  ) {
    super(`invalid logical key ${JSON.stringify(logicalKey)}: ${reason}`);
  }
}

/** A package name that does not match quilt3's `^[\w-]+/[\w-]+$`. */
export class InvalidPackageNameError extends PackageError {
  override name = 'InvalidPackageNameError';
  /** Creates an `InvalidPackageNameError` (see the class). */
  constructor(
    readonly packageName: string,
    reason = "expected 'user/package' (letters, digits, '_' or '-' on each side of one '/')",
  ) {
    super(`invalid package name ${JSON.stringify(packageName)}: ${reason}`);
  }
}

/** A key that already exists (file vs directory conflict, or a collision in moveDirContents/addPackage). */
export class PackageKeyConflictError extends PackageError {
  override name = 'PackageKeyConflictError';
}

/** A logical key that is not in the package. */
export class PackageKeyNotFoundError extends PackageError {
  override name = 'PackageKeyNotFoundError';
  /** Creates a `PackageKeyNotFoundError` (see the class). */
  constructor(readonly logicalKey: string) {
    super(`no entry ${JSON.stringify(logicalKey)} in package`);
  }
}

/** An object whose bytes do not hash to what the manifest says. */
export class ObjectHashMismatchError extends PackageError {
  override name = 'ObjectHashMismatchError';
  /** Creates an `ObjectHashMismatchError` (see the class). */
  constructor(
    readonly logicalKey: string,
    readonly hashType: string,
    readonly expected: string,
    readonly actual: string,
    readonly source?: string,
  ) {
    super(
      `object ${JSON.stringify(logicalKey)}${source ? ` (${shownPhysicalKey(source)})` : ''} is corrupt: manifest says ${hashType} ${expected}, bytes hash to ${actual}`,
    );
  }
}

/**
 * `actual` for an {@link ObjectHashMismatchError}: the hash the bytes gave, and their size when it is not the
 * manifest's (`<hash> (<n> bytes, manifest says <m>)`).
 */
export function mismatchedBytes(actual: string, size: number, expectedSize: number | null): string {
  return size !== expectedSize ? `${actual} (${size} bytes, manifest says ${expectedSize})` : actual;
}

/** A manifest whose content does not hash to the top hash it was requested by. */
export class TopHashMismatchError extends PackageError {
  override name = 'TopHashMismatchError';
  /** Creates a `TopHashMismatchError` (see the class). */
  constructor(
    readonly expected: string,
    readonly actual: string,
    readonly source: string,
  ) {
    super(`manifest ${source} is corrupt: requested top hash ${expected}, content hashes to ${actual}`);
  }
}

export class UnsupportedHashTypeError extends PackageError {
  override name = 'UnsupportedHashTypeError';
  /** Creates an `UnsupportedHashTypeError` (see the class). */
  constructor(
    readonly hashType: string,
    readonly logicalKey?: string,
  ) {
    super(
      `unsupported hash type ${JSON.stringify(hashType)}${logicalKey ? ` for ${JSON.stringify(logicalKey)}` : ''} (supported: sha2-256-chunked, SHA256, CRC64NVME)`,
    );
  }
}

/** Name, tag or hash that the registry does not have (or a hash prefix that matches several manifests). */
export class PackageNotFoundError extends PackageError {
  override name = 'PackageNotFoundError';
}

export class AmbiguousTopHashError extends PackageError {
  override name = 'AmbiguousTopHashError';
}

/** An entry without hash or size: the package must be built before it can be hashed or pushed. */
export class PackageNotBuiltError extends PackageError {
  override name = 'PackageNotBuiltError';
}

/** Refusal to treat a builder as a Package while its entries point at local files (override: allowLocalFiles). */
export class LocalFilesNotAllowedError extends PackageError {
  override name = 'LocalFilesNotAllowedError';
}

/**
 * A push would read a local file or a URL that came from someone else's manifest (a browsed package's entry), which
 * could copy a private file or an internal URL's answer into the registry. Names the entry and the opt-in.
 */
export class UntrustedSourceError extends PackageError {
  override name = 'UntrustedSourceError';
}

/** Refusal to treat a builder as a Package before its manifest is pushed (override: allowLocalManifest). */
export class UnpushedManifestError extends PackageError {
  override name = 'UnpushedManifestError';
}

/** Invalid argument given to the data-package API or CLI. */
export class PackageUsageError extends PackageError {
  override name = 'PackageUsageError';
}

/** A registry's `.quilt/workflows/config.yml` (or a schema it names) that cannot be loaded or is invalid. */
export class WorkflowConfigError extends PackageError {
  override name = 'WorkflowConfigError';
}

/** A package that the registry's workflow refuses (missing message, name pattern, metadata or entries schema). */
export class WorkflowValidationError extends PackageError {
  override name = 'WorkflowValidationError';
}

/** quilt3's `QuiltConflictException`: the registry's `latest` is not a version this package was based on. */
export class PackageConflictError extends PackageError {
  override name = 'PackageConflictError';
  /** Creates a `PackageConflictError` (see the class). */
  constructor(
    message: string,
    readonly latest: string,
    readonly expected: readonly string[],
  ) {
    super(message);
  }
}

/**
 * An install that failed and could not be undone whole: some files of the new version (or its install record) stay.
 * `cause` is why the install failed (none: a killed install's recovery), `failures` why steps of the undo failed.
 * The staging folder keeps what was not put back; the next install into the folder from another process tries again.
 */
export class InstallRollBackError extends PackageError {
  override name = 'InstallRollBackError';
  /** Creates an `InstallRollBackError` (see the class). */
  constructor(
    readonly staging: string,
    readonly failures: readonly unknown[],
    cause?: unknown,
  ) {
    const why =
      cause === undefined ? 'undoing an interrupted install' : `${messageOf(cause)}; undoing the install`;
    super(
      `${why} failed in ${failures.length} step(s) (first: ${messageOf(failures[0])}): the folder may hold files of ` +
        `both versions; what was not put back is kept in ${staging}, and the next install tries again`,
      cause === undefined ? undefined : { cause },
    );
  }
}

/** Another install into the same folder held its lock for longer than this one would wait (install-lock.ts). */
export class InstallFolderBusyError extends PackageError {
  override name = 'InstallFolderBusyError';
  /** Creates an `InstallFolderBusyError` (see the class). */
  constructor(
    readonly folder: string,
    /** Who holds the lock, as written in it (undefined: its lock file could not be read). */
    readonly owner: { pid: number; host: string } | undefined,
    waitedMs: number,
  ) {
    const who = owner ? `process ${owner.pid} on ${owner.host}` : 'its lock file cannot be read';
    const waited = waitedMs < 1000 ? `${waitedMs} ms` : `${Math.round(waitedMs / 1000)} s`;
    super(
      `another install into ${folder} is running (${who}); waited ${waited} for it. If none is running, remove ` +
        `${join(folder, STATE_DIR, 'lock')}`,
    );
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

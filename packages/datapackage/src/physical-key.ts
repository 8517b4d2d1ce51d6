/**
 * Physical keys as quilt3 writes them (`PhysicalKey` in util.py): `file:///abs/path` and `s3://bucket/key` with
 * Python `quote` percent-encoding (only `A-Z a-z 0-9 _ . - ~ /` stay raw, uppercase hex), an optional form-encoded
 * `?versionId=`. Other schemes this library uses (memory://, http(s)://) follow the same shape.
 */
import { resolve, sep } from 'node:path';
import { PackageUsageError } from './errors.js';

const UNRESERVED = /[A-Za-z0-9_.\-~/]/;
const ALL_UNRESERVED = /^[A-Za-z0-9_.\-~/]*$/;

/** Python `urllib.parse.quote(s, safe='/')`. */
export function pythonQuote(text: string): string {
  if (ALL_UNRESERVED.test(text)) return text; // the usual path: one test instead of one per character
  let out = '';
  for (const char of text) {
    if (UNRESERVED.test(char)) {
      out += char;
      continue;
    }
    for (const byte of Buffer.from(char, 'utf8'))
      out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function formEncode(value: string): string {
  return pythonQuote(value).replace(/\//g, '%2F').replace(/%20/g, '+');
}

export interface ParsedPhysicalKey {
  scheme: string;
  /** Bucket, memory-store name or HTTP host; '' for file://. */
  authority: string;
  /** Decoded path: an absolute path for file://, the object key for the others. */
  path: string;
  versionId?: string;
}

export function localPhysicalKey(path: string): string {
  // Only Windows separates with a backslash; on POSIX it is a plain character of the name (quilt3 keeps it).
  const absolute = sep === '\\' ? resolve(path).split('\\').join('/') : resolve(path);
  return absolutePathPhysicalKey(absolute.startsWith('/') ? absolute : `/${absolute}`);
}

/**
 * The file:// key of a path that is already absolute, normalized and `/`-separated (a walked path on POSIX): what
 * localPhysicalKey gives it, without the resolve() per file.
 */
function absolutePathPhysicalKey(absolutePath: string): string {
  return `file://${pythonQuote(absolutePath)}`;
}

/**
 * The file:// key of a canonical path (absolute and normalized: a walked path, a store's object path): on POSIX
 * without the resolve() per file; on Windows through localPhysicalKey, which turns `\` into `/`.
 */
export function canonicalPathPhysicalKey(path: string): string {
  return sep === '/' ? absolutePathPhysicalKey(path) : localPhysicalKey(path);
}

/** `scheme://authority/<quoted key>[?versionId=…]`. */
export function formatPhysicalKey(
  scheme: string,
  authority: string,
  key: string,
  versionId?: string,
): string {
  const base = `${scheme}://${authority}/${pythonQuote(key)}`;
  return versionId === undefined ? base : `${base}?versionId=${formEncode(versionId)}`;
}

export function parsePhysicalKey(url: string): ParsedPhysicalKey {
  // The usual local key (no escape, query or fragment): what the general parse below returns, without it.
  if (url.startsWith('file:///') && !/[%?#]/.test(url))
    return { scheme: 'file', authority: '', path: url.slice(7) };
  const match = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)(\/[^?#]*)?(?:\?([^#]*))?$/i.exec(url);
  if (!match) {
    // quilt3 accepts plain paths as local files.
    if (!url.includes('://')) return { scheme: 'file', authority: '', path: resolve(url) };
    throw new PackageUsageError(`cannot parse physical key ${JSON.stringify(url)}`);
  }
  const scheme = (match[1] as string).toLowerCase();
  const authority = match[2] ?? '';
  const rawPath = match[3] ?? '/';
  const query = match[4];
  let versionId: string | undefined;
  if (query) {
    const params = new URLSearchParams(query);
    for (const name of params.keys()) {
      if (name !== 'versionId')
        throw new PackageUsageError(`unexpected query string in ${JSON.stringify(url)}`);
    }
    versionId = params.get('versionId') ?? undefined;
  }
  if (scheme === 'file') {
    if (authority !== '' && authority !== 'localhost') {
      throw new PackageUsageError(`file URL with a host is not supported: ${JSON.stringify(url)}`);
    }
    if (versionId !== undefined)
      throw new PackageUsageError(`local files cannot have a version: ${JSON.stringify(url)}`);
    return { scheme, authority: '', path: decodeURIComponent(rawPath) };
  }
  const path = decodeURIComponent(rawPath.slice(1));
  return versionId === undefined ? { scheme, authority, path } : { scheme, authority, path, versionId };
}

export function isLocalPhysicalKey(url: string): boolean {
  return url.startsWith('file://') || !url.includes('://');
}

/**
 * Package names (`user/package`, quilt3's PACKAGE_NAME_FORMAT with Unicode \w) and the CLI's package spec
 * `user/package[:tag | @hash]` (a Quilt+ URI fragment style: a tag and a hash cannot both be given).
 */
import { InvalidPackageNameError, PackageUsageError } from './errors.js';

const NAME_PATTERN = /^[\p{L}\p{N}\p{Mn}\p{Mc}\p{Pc}-]+\/[\p{L}\p{N}\p{Mn}\p{Mc}\p{Pc}-]+$/u;
const TAG_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** The name, if it is `namespace/name` (letters, digits, '_' and '-'). @throws {@link InvalidPackageNameError} */
export function validatePackageName(name: string): string {
  if (!NAME_PATTERN.test(name)) throw new InvalidPackageNameError(name);
  return name;
}

/** Tags are pointer file names next to `latest` and the unix-second pointers. */
export function validateTag(tag: string): string {
  if (!TAG_PATTERN.test(tag)) {
    throw new PackageUsageError(`invalid tag ${JSON.stringify(tag)}: use letters, digits, '.', '_' or '-'`);
  }
  return tag;
}

/** A parsed `name[:tag|@hash]`. */
export interface PackageSpec {
  name: string;
  /** A pointer name: 'latest', a tag, or a unix-seconds timestamp. */
  tag?: string;
  /** A full top hash or a prefix of at least 6 characters. */
  hash?: string;
}

/** Parse `name`, `name:tag` or `name@hash` (not both). */
export function parsePackageSpec(spec: string): PackageSpec {
  const at = spec.indexOf('@');
  const colon = spec.indexOf(':');
  if (at >= 0 && colon >= 0) {
    throw new PackageUsageError(`${JSON.stringify(spec)}: give either ':tag' or '@hash', not both`);
  }
  if (at >= 0) {
    const hash = spec.slice(at + 1);
    if (!/^[0-9a-f]{6,64}$/.test(hash)) {
      throw new PackageUsageError(
        `${JSON.stringify(spec)}: '@' must be followed by 6 to 64 lowercase hex digits`,
      );
    }
    return { name: validatePackageName(spec.slice(0, at)), hash };
  }
  if (colon >= 0)
    return { name: validatePackageName(spec.slice(0, colon)), tag: validateTag(spec.slice(colon + 1)) };
  return { name: validatePackageName(spec) };
}

/** Whether a path lies inside a folder, by their text (no file system access), for paths as `path.relative` sees them. */
import { isAbsolute, relative, sep } from 'node:path';

/**
 * `path` relative to `root` when it is `root` itself ('') or below it; undefined when it lies outside: `..`, `../…`,
 * or on another drive. A first segment merely starting with two dots, such as `..data`, is below the root.
 */
export function relativeInside(root: string, path: string): string | undefined {
  const rest = relative(root, path);
  return rest === '..' || rest.startsWith(`..${sep}`) || isAbsolute(rest) ? undefined : rest;
}

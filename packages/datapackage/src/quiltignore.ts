/**
 * `.quiltignore` with quilt3's semantics (`quiltignore_filter` in quilt3's util.py), not gitignore's:
 * - every non-empty line is one rule, kept verbatim (no comments, no `!` negation, no trimming: a trailing space is
 *   part of the name); CRLF and CR line ends count as LF, as Python's text mode reads them;
 * - each rule, prefixed with `*` and `/`, is a Python `fnmatch` pattern matched against the whole path, so `*` and
 *   `[...]` cross `/`, `README.md` matches at any depth, `a/b/deep.txt` matches that path at any depth, and
 *   `/README.md` matches nothing;
 * - a folder is ignored (with everything below it) when that pattern matches its path or its path plus `/`, so
 *   `build` ignores a file or a folder named build and `build/` only a folder.
 *
 * Deliberate difference: quilt3 matches rules against absolute paths, so a rule can match the folder's own location
 * (with the folder under /tmp, `tmp/*` ignores every file). Here paths are `/` + the path relative to the packaged
 * folder, so the result does not depend on where the folder is. Matching is Python's fnmatchcase (fnmatch.ts, checked
 * against Python on 3,000 random rules and paths in the tests).
 */
import { fnmatchMatcher } from './fnmatch.js';

/** The name of the ignore file in a packaged folder. */
export const QUILTIGNORE = '.quiltignore';

/** The rules of a `.quiltignore`, matched as quilt3 matches them (see the module comment). */
export class QuiltIgnore {
  readonly rules: readonly string[];
  readonly #matchers: ((path: string) => boolean)[];

  /** Creates a `QuiltIgnore` from its rules (one per non-empty line, kept verbatim). */
  constructor(rules: readonly string[]) {
    this.rules = rules;
    this.#matchers = rules.map((rule) => fnmatchMatcher(`*/${rule}`));
  }

  /** The rules of a `.quiltignore` file's text, split as quilt3 splits them. */
  static parse(text: string): QuiltIgnore {
    return new QuiltIgnore(
      text
        .replace(/\r\n?/g, '\n')
        .split('\n')
        .filter((rule) => rule !== ''),
    );
  }

  /** Whether the file at `logicalKey` (relative to the packaged folder, `/`-separated) is ignored by its own path. */
  ignoresFile(logicalKey: string): boolean {
    const path = `/${logicalKey}`;
    return this.#matchers.some((matches) => matches(path));
  }

  /** Whether the folder at `logicalKey` is ignored, and with it everything below it. */
  ignoresDirectory(logicalKey: string): boolean {
    const path = `/${logicalKey}`;
    return this.#matchers.some((matches) => matches(path) || matches(`${path}/`));
  }

  /** Whether a file is ignored by its own path or by any folder above it. */
  ignores(logicalKey: string): boolean {
    const segments = logicalKey.split('/');
    for (let i = 1; i < segments.length; i++) {
      if (this.ignoresDirectory(segments.slice(0, i).join('/'))) return true;
    }
    return this.ignoresFile(logicalKey);
  }
}

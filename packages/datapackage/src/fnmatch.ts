/**
 * Python's `fnmatch.fnmatchcase`, the matcher quilt3 applies to `.quiltignore` rules: `*` matches any run of
 * characters ('/' included), `?` any one character, `[...]` a set (`[!...]` its complement, ranges `a-z`, a leading
 * `^` or `[` literal, no escapes, backslash literal), an unclosed `[` a literal '['; everything else matches itself,
 * case-sensitively, over code points.
 *
 * Why not a glob library: no npm package implements these rules (picomatch in its closest mode, `bash`, disagrees on
 * 75 of 3,000 cases Python decided, e.g. `[!a]` and backslashes, and `?` never matches '/'), and glob-to-RegExp
 * translations backtrack exponentially on rules such as `*a*a*a*a*a*a*a*a*ab` (seconds per path), which a hostile
 * `.quiltignore` could use. This matcher walks pattern and path once with one star to backtrack to: O(pattern × path).
 * Sets are parsed the way Python's `fnmatch.translate` builds them (ranges split on '-', empty ranges dropped).
 */

type Token =
  | { kind: 'star' }
  | { kind: 'any' }
  | { kind: 'never' }
  | { kind: 'char'; char: string }
  | { kind: 'set'; negated: boolean; ranges: [number, number][] };

/** The body of a Python regex set as fnmatch.translate writes it, parsed back into ranges. */
function parseSetBody(body: string): [number, number][] {
  const atoms: (number | '-')[] = [];
  const chars = [...body];
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i] as string;
    if (char === '\\') atoms.push((chars[++i] as string).codePointAt(0) as number);
    else if (char === '-') atoms.push('-');
    else atoms.push(char.codePointAt(0) as number);
  }
  const ranges: [number, number][] = [];
  for (let i = 0; i < atoms.length; i++) {
    const lo = atoms[i] as number | '-';
    const hi = atoms[i + 2];
    if (typeof lo === 'number' && atoms[i + 1] === '-' && typeof hi === 'number') {
      ranges.push([lo, hi]);
      i += 2;
    } else if (typeof lo === 'number') {
      ranges.push([lo, lo]);
    } else {
      ranges.push([45, 45]); // a '-' that joins nothing is literal
    }
  }
  return ranges;
}

/** `[` at `open` closes at `close` (exclusive of both): the set token, as fnmatch.translate makes it. */
function setToken(pattern: string[], open: number, close: number): Token {
  const raw = pattern.slice(open, close);
  let stuff: string;
  if (!raw.includes('-')) {
    stuff = raw.join('').replaceAll('\\', '\\\\');
  } else {
    const chunks: string[] = [];
    let start = open;
    let k = pattern[open] === '!' ? open + 2 : open + 1;
    for (;;) {
      const hyphen = pattern.indexOf('-', k);
      if (hyphen < 0 || hyphen >= close) break;
      chunks.push(pattern.slice(start, hyphen).join(''));
      start = hyphen + 1;
      k = hyphen + 3;
    }
    const last = pattern.slice(start, close).join('');
    if (last) chunks.push(last);
    else chunks[chunks.length - 1] += '-';
    // Ranges whose ends are out of order are dropped (with both ends), as Python does.
    for (let i = chunks.length - 1; i > 0; i--) {
      const before = [...(chunks[i - 1] as string)];
      const after = [...(chunks[i] as string)];
      if (
        ((before.at(-1) as string).codePointAt(0) as number) > ((after[0] as string).codePointAt(0) as number)
      ) {
        chunks[i - 1] = before.slice(0, -1).join('') + after.slice(1).join('');
        chunks.splice(i, 1);
      }
    }
    stuff = chunks.map((c) => c.replaceAll('\\', '\\\\').replaceAll('-', '\\-')).join('-');
  }
  if (stuff === '') return { kind: 'never' };
  if (stuff === '!') return { kind: 'any' };
  const negated = stuff.startsWith('!');
  return { kind: 'set', negated, ranges: parseSetBody(negated ? stuff.slice(1) : stuff) };
}

function compile(pattern: string): Token[] {
  const chars = [...pattern];
  const tokens: Token[] = [];
  let i = 0;
  while (i < chars.length) {
    const char = chars[i++] as string;
    if (char === '*') {
      if (tokens.at(-1)?.kind !== 'star') tokens.push({ kind: 'star' });
    } else if (char === '?') {
      tokens.push({ kind: 'any' });
    } else if (char === '[') {
      let j = i;
      if (chars[j] === '!') j++;
      if (chars[j] === ']') j++;
      while (j < chars.length && chars[j] !== ']') j++;
      if (j >= chars.length) {
        tokens.push({ kind: 'char', char: '[' });
      } else {
        tokens.push(setToken(chars, i, j));
        i = j + 1;
      }
    } else {
      tokens.push({ kind: 'char', char });
    }
  }
  return tokens;
}

function matchesOne(token: Token, char: string): boolean {
  switch (token.kind) {
    case 'any':
      return true;
    case 'char':
      return token.char === char;
    case 'set': {
      const code = char.codePointAt(0) as number;
      const inSet = token.ranges.some(([lo, hi]) => code >= lo && code <= hi);
      return inSet !== token.negated;
    }
    default:
      return false;
  }
}

/** A compiled Python fnmatch pattern: `matches(name)` is `fnmatch.fnmatchcase(name, pattern)`. */
export function fnmatchMatcher(pattern: string): (name: string) => boolean {
  const tokens = compile(pattern);
  return (name) => {
    const chars = [...name];
    let t = 0;
    let s = 0;
    let starToken = -1;
    let starChar = 0;
    while (s < chars.length) {
      const token = tokens[t];
      if (token && token.kind !== 'star' && matchesOne(token, chars[s] as string)) {
        t++;
        s++;
      } else if (token?.kind === 'star') {
        starToken = t++;
        starChar = s;
      } else if (starToken >= 0) {
        // Let the last star take one more character and retry what follows it.
        t = starToken + 1;
        s = ++starChar;
      } else {
        return false;
      }
    }
    while (tokens[t]?.kind === 'star') t++;
    return t === tokens.length;
  };
}

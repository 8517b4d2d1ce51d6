/**
 * zod issues -> one readable line per failing field (`data[0].hyperparameter.algorithm_name: expected string, got
 * null`). Our own wording for every issue code, so messages do not depend on which zod locale (if any) is loaded:
 * generated schemas use `zod/mini`, which loads none.
 *
 * A union that matched no branch is not reported as such: of the branches that were tried, the one that got furthest
 * into the value speaks for it, so the line names the deepest field that actually failed.
 */
import type { $ZodIssue } from 'zod/v4/core';
import type { ValidationIssue } from '../core/errors.js';
import { SECRET_KEY_PATTERN } from '../internal/redact.js';

/** Longest list of problems spelled out in a message (the rest are counted). */
const MAX_ISSUES_IN_MESSAGE = 10;

/** Longest received string quoted in a message; a longer one is shown as its type only (bodies can hold anything). */
const MAX_QUOTED_LENGTH = 40;

/** `['trials', 3, 'score']` -> `trials[3].score`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${String(seg)}` : String(seg);
  }
  return out || '(root)';
}

/** zod issues -> readable {path, message} pairs, unions resolved to their closest branch. */
export function toIssues(
  issues: readonly $ZodIssue[],
  prefix: readonly PropertyKey[] = [],
): ValidationIssue[] {
  return problems(issues, prefix).map((p) => ({ path: formatPath(p.path), message: p.message }));
}

/** One failing field, path still raw so union branches can be compared by depth. */
interface Problem {
  path: readonly PropertyKey[];
  message: string;
  /** The value has the wrong type or value right where the check is (not somewhere inside it). */
  mismatch?: { expected: string; got: string } | undefined;
}

function problems(issues: readonly $ZodIssue[], prefix: readonly PropertyKey[]): Problem[] {
  const out: Problem[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0)
      out.push(...unionProblems(issue.errors, path));
    else out.push(describe(issue, path));
  }
  return out;
}

/**
 * The problems of the branch that came closest. When every branch rejected the value outright (wrong type), one line
 * says what would have been accepted: `expected string or number, got boolean`.
 */
function unionProblems(
  branchIssues: readonly (readonly $ZodIssue[])[],
  path: readonly PropertyKey[],
): Problem[] {
  const branches = branchIssues.map((issues) => problems(issues, path));
  const outright = branches.map((b) =>
    b.length === 1 && b[0]?.path.length === path.length ? b[0].mismatch : undefined,
  );
  if (outright.every((m) => m !== undefined)) {
    const expected = [...new Set(outright.flatMap((m) => m.expected.split(' or ')))].join(' or ');
    return [
      {
        path,
        message: `expected ${expected}, got ${outright[0]?.got}`,
        mismatch: { expected, got: outright[0]?.got ?? '' },
      },
    ];
  }
  let best = branches[0] ?? [];
  for (const branch of branches.slice(1)) if (closer(branch, best, path.length)) best = branch;
  return best;
}

/** Is branch `a` a better account of the failure than branch `b`? */
function closer(a: readonly Problem[], b: readonly Problem[], depth: number): boolean {
  const ra = rank(a, depth);
  const rb = rank(b, depth);
  for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return (ra[i] ?? 0) > (rb[i] ?? 0);
  return false;
}

/**
 * Bigger is closer, compared in order: (1) the value is at least of the branch's type, (2) no field that tells the
 * branches apart (a literal like `object: "trial"`) holds another value, (3) the deepest failing field, (4) fewer
 * failing fields.
 */
function rank(branch: readonly Problem[], depth: number): number[] {
  const rejectedOutright = branch.some((p) => p.path.length === depth && p.mismatch);
  const otherDiscriminator = branch.some(
    (p) => p.path.length === depth + 1 && p.mismatch?.expected.startsWith('"'),
  );
  const deepest = Math.max(...branch.map((p) => p.path.length));
  return [rejectedOutright ? 0 : 1, otherDiscriminator ? 0 : 1, deepest, -branch.length];
}

function describe(issue: $ZodIssue, path: readonly PropertyKey[]): Problem {
  const input = (issue as { input?: unknown }).input;
  const got = received(input, path);
  switch (issue.code) {
    case 'invalid_type': {
      if (input === undefined) return { path, message: 'required' };
      if (issue.expected === 'never') return { path, message: 'not allowed' };
      const expected = typeLabel(issue.expected);
      const type = typeName(input);
      return { path, message: `expected ${expected}, got ${type}`, mismatch: { expected, got: type } };
    }
    case 'invalid_value': {
      if (input === undefined) return { path, message: 'required' };
      const expected = issue.values.map((v) => quote(v)).join(' or ');
      return { path, message: `expected ${expected}, got ${got}`, mismatch: { expected, got } };
    }
    case 'too_small':
    case 'too_big':
      return { path, message: sizeMessage(issue, input, got) };
    case 'invalid_format':
      return {
        path,
        message:
          issue.format === 'regex' && issue.pattern
            ? `expected to match ${issue.pattern}, got ${got}`
            : `expected ${issue.format} format, got ${got}`,
      };
    case 'not_multiple_of':
      return { path, message: `expected a multiple of ${String(issue.divisor)}, got ${got}` };
    case 'unrecognized_keys':
      return {
        path,
        message: `unexpected ${issue.keys.length === 1 ? 'property' : 'properties'} ${issue.keys.map((k) => quote(k)).join(', ')}`,
      };
    case 'invalid_key':
      return { path, message: 'invalid key' };
    case 'invalid_element':
      return { path, message: 'invalid element' };
    case 'invalid_union':
      return { path, message: 'does not match any allowed shape' };
    default:
      return { path, message: issue.message };
  }
}

function sizeMessage(
  issue: Extract<$ZodIssue, { code: 'too_small' | 'too_big' }>,
  input: unknown,
  got: string,
): string {
  const small = issue.code === 'too_small';
  const limit = String(
    small ? (issue as { minimum: unknown }).minimum : (issue as { maximum: unknown }).maximum,
  );
  const length = (input as { length?: unknown } | null | undefined)?.length;
  const unit = issue.origin === 'string' ? 'characters' : issue.origin === 'array' ? 'items' : undefined;
  if (unit) {
    const bound = issue.exact ? 'exactly' : small ? 'at least' : 'at most';
    return `expected ${bound} ${limit} ${unit}, got ${typeof length === 'number' ? length : got}`;
  }
  const op = small ? (issue.inclusive ? '>=' : '>') : issue.inclusive ? '<=' : '<';
  return `expected ${op} ${limit}, got ${got}`;
}

function typeLabel(expected: string): string {
  return expected === 'int' ? 'integer' : expected;
}

/**
 * How a received value is shown where the value itself helps (a literal or a bound it missed): its type, plus the
 * value when it is a short scalar not under a secret-looking key. A wrong type shows the type only.
 */
function received(value: unknown, path: readonly PropertyKey[]): string {
  const name = typeName(value);
  if (name !== 'string' && name !== 'number' && name !== 'boolean') return name;
  const key = [...path].reverse().find((seg) => typeof seg === 'string');
  if (typeof key === 'string' && SECRET_KEY_PATTERN.test(key)) return name;
  if (typeof value === 'string')
    return value.length <= MAX_QUOTED_LENGTH ? `string ${quote(value)}` : 'string';
  return `${name} ${String(value)}`;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number' && Number.isNaN(v)) return 'NaN';
  return typeof v;
}

function quote(value: unknown): string {
  return typeof value === 'bigint' ? `${value}n` : (JSON.stringify(value) ?? String(value));
}

/** One message listing the issues, one per line. */
export function issuesMessage(title: string, issues: readonly ValidationIssue[]): string {
  const lines = issues.slice(0, MAX_ISSUES_IN_MESSAGE).map((i) => `  ${i.path}: ${i.message}`);
  if (issues.length > MAX_ISSUES_IN_MESSAGE)
    lines.push(`  ... and ${issues.length - MAX_ISSUES_IN_MESSAGE} more`);
  return `${title}\n${lines.join('\n')}`;
}

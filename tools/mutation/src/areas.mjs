/**
 * The mutation areas: the files each one mutates and the only tests that may kill its mutants. Areas are small on
 * purpose: a mutant in a module-level constant (a "static" mutant: a regex, a set of error codes) is run against
 * every test of its area, so an area's tests must be quick unit-level files, not soak or end-to-end suites.
 * `npm run mutate -- runtime` runs every `runtime/*` area one after the other.
 */

/**
 * @typedef {object} Area
 * @property {string} description
 * @property {string[]} mutate   globs, relative to the repo root
 * @property {string} root       the package whose tests run (vitest root)
 * @property {string[]} tests    test globs, relative to `root`
 * @property {string[]} [also]   other folders the sandbox needs (packages imported by relative path)
 */

const core = 'packages/package-core/src';

/** @type {Record<string, Area>} */
export const areas = {
  'runtime/errors': {
    description: 'package-core core/errors.ts and internal/redact.ts: the error taxonomy and redaction',
    mutate: [`${core}/core/errors.ts`, `${core}/internal/redact.ts`],
    root: 'packages/package-core',
    tests: [
      'test/behaviour/redaction-*.test.ts',
      'test/behaviour/error-*.test.ts',
      'test/behaviour/retry-decisions.test.ts',
      'test/runtime/core/errors.test.ts',
      'test/runtime/internal/redact.test.ts',
    ],
  },
  'runtime/retry': {
    description:
      'package-core internal/retry/{backoff,strategy,loop,policy}.ts: budgets, the gate, the waits',
    mutate: [
      `${core}/internal/retry/*.ts`,
      `!${core}/internal/retry/retry-after.ts`,
      `!${core}/internal/retry/classify.ts`,
    ],
    root: 'packages/package-core',
    // Not retry.test.ts / retry-loop.test.ts: they drive real sockets; the unit files kill the same mutants.
    tests: ['test/behaviour/retry-*.test.ts', 'test/runtime/internal/retry/{strategy,loop,policy}.test.ts'],
  },
  'runtime/retry-classify': {
    description:
      'package-core internal/retry/classify.ts: which failures are retryable, connection error codes',
    mutate: [`${core}/internal/retry/classify.ts`],
    root: 'packages/package-core',
    // The set of connection error codes is module-level (static mutants: every test of the area runs for each).
    tests: ['test/behaviour/retry-decisions.test.ts', 'test/runtime/internal/retry/classify.test.ts'],
  },
  'runtime/retry-after': {
    description: "package-core internal/retry/retry-after.ts: the server's requested wait, read strictly",
    mutate: [`${core}/internal/retry/retry-after.ts`],
    root: 'packages/package-core',
    // Its date grammar is module-level regexes (static mutants: every test of the area runs for each).
    tests: ['test/behaviour/retry-*.test.ts', 'test/runtime/internal/retry/{retry-after,policy}.test.ts'],
  },
  'runtime/pagination': {
    description: 'package-core pagination/*: page parsing and iterate()',
    mutate: [`${core}/pagination/*.ts`, `!${core}/pagination/index.ts`],
    root: 'packages/package-core',
    tests: ['test/behaviour/pagination-*.test.ts'],
  },
  'runtime/validation': {
    description: 'package-core validation/*: request/response validation and its messages',
    mutate: [`${core}/validation/*.ts`, `!${core}/validation/index.ts`],
    root: 'packages/package-core',
    tests: [
      'test/behaviour/validation-*.test.ts',
      'test/runtime/validation/{messages,validate,warn-once}.test.ts',
    ],
  },
  'runtime/auth': {
    description: 'package-core core/auth.ts: the auth strategies',
    mutate: [`${core}/core/auth.ts`],
    root: 'packages/package-core',
    tests: ['test/behaviour/auth-*.test.ts', 'test/runtime/core/auth.test.ts'],
  },
  'runtime/core': {
    description: 'package-core core/: APIPromise, PagePromise and the spec-extension middleware',
    mutate: [`${core}/core/api-promise.ts`, `${core}/core/page-promise.ts`, `${core}/core/middleware.ts`],
    root: 'packages/package-core',
    tests: ['test/behaviour/call-promises.test.ts'],
  },
  'clients/auth-hub': {
    description: 'hub-client src/auth.ts: the token priority, its body field, its secrets',
    mutate: ['packages/hub-client/src/auth.ts'],
    root: 'packages/hub-client',
    tests: ['test/auth*.test.ts'],
    also: ['packages/package-core'],
  },
  'clients/auth-nucleus': {
    description: 'nucleus-client src/auth.ts: API key or limited-access key, options before the environment',
    mutate: ['packages/nucleus-client/src/auth.ts'],
    root: 'packages/nucleus-client',
    tests: ['test/auth.test.ts'],
    also: ['packages/package-core'],
  },
  'clients/auth-sc': {
    description:
      'sc-client src/auth/*: the password login dance, tokens, discovery and re-login of ScSession',
    mutate: ['packages/sc-client/src/auth/password-login.ts', 'packages/sc-client/src/auth/session.ts'],
    root: 'packages/sc-client',
    tests: ['test/session.test.ts', 'test/replay/login.replay.test.ts', 'test/auth/*.test.ts'],
    also: ['packages/package-core'],
  },
  'datapackage/core': {
    description: 'datapackage top-hash.ts, manifest.ts, logical-key.ts',
    mutate: [
      'packages/datapackage/src/top-hash.ts',
      'packages/datapackage/src/manifest.ts',
      'packages/datapackage/src/logical-key.ts',
    ],
    root: 'packages/datapackage',
    tests: ['test/top-hash.test.ts', 'test/manifest-tree.test.ts', 'test/logical-key.test.ts'],
    also: ['packages/package-core'],
  },
  'datapackage/hashing': {
    description:
      'datapackage hashing/* (object hashes, chunk size, stat cache, file hasher, worker pool), directory-hash.ts',
    mutate: [
      'packages/datapackage/src/hashing/*.ts',
      // The worker's code is one string run by `new Worker(code, { eval: true })`: nothing inside it can be mutated.
      '!packages/datapackage/src/hashing/hash-worker-source.ts',
      'packages/datapackage/src/directory-hash.ts',
    ],
    root: 'packages/datapackage',
    tests: [
      'test/object-hash.test.ts',
      'test/stat-cache.test.ts',
      'test/file-hasher.test.ts',
      'test/directory-hash.test.ts',
    ],
    also: ['packages/package-core'],
  },
};

/** The areas a name selects: an exact area, or every area under a prefix (`runtime` -> `runtime/*`). */
export function selectAreas(name) {
  if (areas[name]) return [name];
  return Object.keys(areas).filter((key) => key.startsWith(`${name}/`));
}

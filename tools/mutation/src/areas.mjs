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
 * @property {string[]} [setupFiles] the package's vitest setup files, relative to `root` (its vitest.config.ts's)
 * @property {number} [timeoutMS]  added to a mutant's expected time before it counts as a timeout (default 5000)
 * @property {number} [fastCheckRuns] numRuns of the property tests that read MUTATE_FAST_CHECK_RUNS (default 30)
 */

const core = 'packages/package-core/src';

/** Every datapackage test file gets its own state folder (packages/datapackage/vitest.config.ts does the same). */
const datapackageSetup = ['test/setup-state-dir.ts'];

/** @type {Record<string, Area>} */
export const areas = {
  'runtime/errors': {
    description: 'package-core core/errors.ts: the error taxonomy, messages, the retryable verdict',
    mutate: [`${core}/core/errors.ts`],
    root: 'packages/package-core',
    // Split from internal/redact.ts: together they ran 47 min (93 static mutants x every test of both).
    tests: [
      'test/behaviour/error-*.test.ts',
      'test/behaviour/redaction-and-errors.test.ts',
      'test/behaviour/retry-decisions.test.ts',
      'test/runtime/core/errors.test.ts',
    ],
  },
  'runtime/redact': {
    description: 'package-core internal/redact.ts: secrets masked in errors, logs and inspect',
    mutate: [`${core}/internal/redact.ts`],
    root: 'packages/package-core',
    tests: ['test/behaviour/redaction-*.test.ts', 'test/runtime/internal/redact.test.ts'],
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
    description:
      'package-core pagination/iterate.ts, page.ts: the walk (prefetch, concurrency, aborts) and Page',
    mutate: [`${core}/pagination/iterate.ts`, `${core}/pagination/page.ts`],
    root: 'packages/package-core',
    tests: ['test/behaviour/pagination-*.test.ts'],
  },
  'runtime/pagination-parse': {
    description: 'package-core pagination/strategies.ts, path.ts: page bodies -> items and the next request',
    mutate: [`${core}/pagination/strategies.ts`, `${core}/pagination/path.ts`],
    root: 'packages/package-core',
    // Split from iterate.ts (together: 14.9 min at load 23): a mutant that never ends a list times out here.
    tests: ['test/behaviour/pagination-*.test.ts'],
  },
  'runtime/validation': {
    description:
      'package-core validation/{validate,warn-once,load}.ts: request/response checks, warn once, lazy load',
    mutate: [`${core}/validation/*.ts`, `!${core}/validation/index.ts`, `!${core}/validation/issues.ts`],
    root: 'packages/package-core',
    // Not validate.test.ts: it goes through a whole client (MSW), 18 min here; validation-wording calls the same code.
    tests: ['test/behaviour/validation-*.test.ts', 'test/runtime/validation/warn-once.test.ts'],
  },
  'runtime/validation-messages': {
    description: 'package-core validation/issues.ts: zod issues -> one readable line per failing field',
    mutate: [`${core}/validation/issues.ts`],
    root: 'packages/package-core',
    tests: ['test/behaviour/validation-*.test.ts', 'test/runtime/validation/messages.test.ts'],
    // messages.test.ts reads the Hub's generated schemas (the production case); without them it is dropped.
    also: ['packages/hub-client'],
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
  'runtime/base-client': {
    description:
      'package-core core/base-client.ts: options, params split, escape hatch, named servers, pages',
    mutate: [`${core}/core/base-client.ts`],
    root: 'packages/package-core',
    // client-*.test.ts: BaseClient over a scripted fetch (no sockets, quick); then client-level tests (a fake server
    // through MSW or a local socket). Not limits.test.ts (bodies that never end) nor security/redaction.test.ts (a
    // property test up to depth 100).
    tests: [
      'test/behaviour/client-*.test.ts',
      'test/runtime/resource/{classes,resources}.test.ts',
      'test/runtime/internal/transport.test.ts',
      'test/runtime/security/redirects.test.ts',
    ],
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
  'clients/auth-sc-login': {
    description: 'sc-client src/auth/password-login.ts: the oauth2-proxy/dex login dance',
    mutate: ['packages/sc-client/src/auth/password-login.ts'],
    // Mutants that make the redirect walk endless hang a test until the timeout: keep it short (the tests take ms).
    timeoutMS: 2_000,
    root: 'packages/sc-client',
    tests: ['test/auth/*.test.ts', 'test/replay/login.replay.test.ts'],
    also: ['packages/package-core'],
  },
  // session.ts in two areas by line range (one area ran an estimated 100 min at load 20): keep the ranges on the
  // method boundaries named below when the file changes.
  'clients/auth-sc-session': {
    description: 'sc-client ScSession: credentials, secrets, transport, login, auth headers, fetch, logout',
    mutate: [
      'packages/sc-client/src/auth/session.ts:1-200', // up to #discoveryGet
      'packages/sc-client/src/auth/session.ts:339-414', // from #resolve
    ],
    timeoutMS: 2_000,
    root: 'packages/sc-client',
    tests: ['test/auth/*.test.ts'],
    also: ['packages/package-core'],
  },
  'clients/auth-sc-discovery': {
    description: 'sc-client ScSession discovery: API path, version, organization, workspace',
    mutate: ['packages/sc-client/src/auth/session.ts:201-338'], // #discoveryGet .. #workspaceId
    timeoutMS: 2_000,
    root: 'packages/sc-client',
    tests: ['test/auth/*.test.ts'],
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
    setupFiles: datapackageSetup,
    tests: [
      'test/top-hash.test.ts',
      'test/top-hash-reference.mutation.test.ts',
      'test/manifest-tree.test.ts',
      'test/manifest-tree-order.mutation.test.ts',
      'test/logical-key.test.ts',
    ],
    also: ['packages/package-core'],
  },
  'datapackage/hashing': {
    description:
      'datapackage hashing/object-hash.ts, chunk-size.ts, stat-cache.ts: object hashes and the stat cache',
    mutate: [
      'packages/datapackage/src/hashing/object-hash.ts',
      'packages/datapackage/src/hashing/chunk-size.ts',
      'packages/datapackage/src/hashing/stat-cache.ts',
    ],
    root: 'packages/datapackage',
    setupFiles: datapackageSetup,
    tests: ['test/object-hash.test.ts', 'test/stat-cache*.test.ts'],
    also: ['packages/package-core'],
  },
  // The worker's own code (hashing/hash-worker-source.ts) is one string run by `new Worker(code, { eval: true })`:
  // nothing inside it can be mutated. Its behaviour is checked through the file hasher's values.
  'datapackage/file-hasher': {
    description:
      'datapackage hashing/file-hasher.ts: hashing local files (stat cache, batches, chunk ranges)',
    mutate: ['packages/datapackage/src/hashing/file-hasher.ts'],
    root: 'packages/datapackage',
    setupFiles: datapackageSetup,
    tests: ['test/file-hasher.test.ts', 'test/file-hasher-passes.test.ts', 'test/file-copy.test.ts'],
    also: ['packages/package-core'],
  },
  'datapackage/worker-pool': {
    description:
      'datapackage hashing/worker-pool.ts, in-thread-runner.ts: the hashing worker threads, and the main thread helping',
    mutate: [
      'packages/datapackage/src/hashing/worker-pool.ts',
      'packages/datapackage/src/hashing/in-thread-runner.ts',
    ],
    // A mutant that loses a worker message hangs its task until the timeout (the default 5 s margin: 2.5 s was not
    // checked against false timeouts under load).
    root: 'packages/datapackage',
    setupFiles: datapackageSetup,
    tests: ['test/worker-pool*.test.ts', 'test/in-thread-runner.test.ts'],
    also: ['packages/package-core'],
  },
  'datapackage/directory-hash': {
    description: 'datapackage directory-hash.ts: the top hash a folder has now (datapkg hash)',
    mutate: ['packages/datapackage/src/directory-hash.ts'],
    root: 'packages/datapackage',
    setupFiles: datapackageSetup,
    tests: ['test/directory-hash.test.ts'],
    also: ['packages/package-core'],
  },
  'datapackage/object-transfer': {
    description: 'datapackage object-download.ts, object-cache.ts: verified downloads and the object cache',
    mutate: ['packages/datapackage/src/object-download.ts', 'packages/datapackage/src/object-cache.ts'],
    root: 'packages/datapackage',
    setupFiles: datapackageSetup,
    tests: ['test/object-download*.test.ts', 'test/object-cache.test.ts'],
    also: ['packages/package-core'],
  },
  'datapackage/install-transaction': {
    description: 'datapackage install-transaction.ts: all-or-nothing installs and recovery of killed ones',
    mutate: ['packages/datapackage/src/install-transaction.ts'],
    // Not shorter than the default: its tests fsync, and at load 10-15 a 2.5 s margin turned slow runs of equivalent
    // mutants into false timeouts (45 of 202 at 10:14).
    root: 'packages/datapackage',
    setupFiles: datapackageSetup,
    tests: ['test/install-transaction*.test.ts'],
    also: ['packages/package-core'],
  },
  'datapackage/progressive-flush': {
    description:
      'datapackage progressive-flush.ts: flushing files every few thousand while push and install write them',
    mutate: ['packages/datapackage/src/progressive-flush.ts'],
    root: 'packages/datapackage',
    setupFiles: datapackageSetup,
    tests: ['test/progressive-flush.test.ts', 'test/local-stager-early-flush.test.ts'],
  },
  'datapackage/install-lock': {
    description:
      "datapackage install-lock.ts: one install at a time per folder, a dead owner's lock taken over",
    mutate: ['packages/datapackage/src/install-lock.ts'],
    root: 'packages/datapackage',
    setupFiles: datapackageSetup,
    // directory-sync-cleanup: the folders a failed install made, removed again (withInstallLock).
    tests: ['test/install-lock.test.ts', 'test/directory-sync-cleanup.mutation.test.ts'],
  },
  'datapackage/install-record': {
    description: 'datapackage install-record.ts: what an install records about a folder, in the state folder',
    mutate: ['packages/datapackage/src/install-record.ts'],
    root: 'packages/datapackage',
    setupFiles: datapackageSetup,
    // install-record.test.ts goes through install (the legacy record moved out): the file list of earlier versions.
    tests: ['test/install-record-unit.test.ts', 'test/install-record.test.ts'],
    also: ['packages/package-core'],
  },
  // directory-sync.ts in three areas by line range (one area: 265 mutants, est. 42 min at load 30, most install tests
  // covering most lines). Keep the ranges on the function boundaries named when the file changes.
  'datapackage/directory-compare': {
    description: 'datapackage directory-sync.ts compareDirectory: verify a folder against a manifest',
    mutate: ['packages/datapackage/src/directory-sync.ts:83-154'], // verifiableHash, compareDirectory
    root: 'packages/datapackage',
    setupFiles: datapackageSetup,
    tests: ['test/directory-verify*.test.ts'],
    also: ['packages/package-core'],
  },
  'datapackage/directory-sync': {
    description: 'datapackage directory-sync.ts syncDirectory: install and forceMatch of a folder',
    mutate: [
      'packages/datapackage/src/directory-sync.ts:1-82', // up to pathOfValidKey (only install reaches it)
      'packages/datapackage/src/directory-sync.ts:155-333', // SyncOptions .. prepareRecord
    ],
    // Not the default 5 s: at load 4-7 under `nice`, equivalent mutants of syncDirectory (checked with --command:
    // they survive) timed out with it. A mutant that really hangs costs 15 s more.
    timeoutMS: 15_000,
    root: 'packages/datapackage',
    setupFiles: datapackageSetup,
    // install-failure-record.test.ts: what a failed install leaves in the state folder (syncDirectory's clean-up);
    // install-record.test.ts: an earlier version's record moved out (prepareRecord); hostile-input.test.ts: a
    // symlinked folder on the way of a key.
    tests: [
      'test/directory-sync*.test.ts',
      'test/install-failure-record.test.ts',
      'test/install-record.test.ts',
      'test/hostile-input.test.ts',
    ],
    also: ['packages/package-core'],
  },
  'datapackage/directory-stage': {
    description:
      'datapackage directory-sync.ts stageAll, ObjectStager, planPlacement: staging the objects, placing new folders',
    mutate: ['packages/datapackage/src/directory-sync.ts:334-623'], // WORKER_COPY_TYPES .. statIfExists
    timeoutMS: 15_000, // as directory-sync
    root: 'packages/datapackage',
    setupFiles: datapackageSetup,
    // hostile-input.test.ts: symlinks on the way of a key (assertNoLinksOnTheWay). ObjectStager's batches and its
    // failure are tested directly in directory-sync-stager.mutation.test.ts.
    tests: ['test/directory-sync*.test.ts', 'test/hostile-input.test.ts'],
    also: ['packages/package-core'],
  },
};

/** The areas a name selects: an exact area, or every area under a prefix (`runtime` -> `runtime/*`). */
export function selectAreas(name) {
  if (areas[name]) return [name];
  return Object.keys(areas).filter((key) => key.startsWith(`${name}/`));
}

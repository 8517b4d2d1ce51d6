// The root export stays free of zod: validate.ts calls the generated schemas' own `safeParse`, and the schemas (with
// zod) load on the first validated call, by load.ts. Types and the message helpers are public here.
export { formatPath, issuesMessage, toIssues } from './issues.js';
export { lazily, lazyRecord } from './lazy.js';
export { loadValidator, type SchemaSource, type Validator } from './load.js';
export type { OperationSchema, OperationSchemas, ParsableSchema, RequestParts } from './validate.js';

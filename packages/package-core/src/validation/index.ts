// The root export stays free of zod: `validate.ts` (which imports zod) is loaded on the first validated call, by
// `load.ts`. Types and the zod-free message helpers are public here.
export { formatPath, issuesMessage, toIssues } from './issues.js';
export { loadValidator, type SchemaSource, type Validator } from './load.js';
export type { OperationSchema, OperationSchemas, RequestParts } from './validate.js';

export * from './build.js';
export * from './table.js';
export type * from './types.js';

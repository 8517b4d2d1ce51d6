export * from './faults.js';
export * from './get-body.js';
export * from './pagination.js';
export * from './server.js';
export * from './store.js';

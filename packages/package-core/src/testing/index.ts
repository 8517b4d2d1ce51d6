export * from './faults.js';
export * from './pagination.js';
export * from './request-body.js';
export * from './server.js';
export * from './store.js';

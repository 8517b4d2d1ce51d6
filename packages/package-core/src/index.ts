export * from './client/index.js';
export * from './core/index.js';
export * from './errors.js';
export * from './pagination/index.js';
export * from './resource/index.js';
export * from './validation/index.js';

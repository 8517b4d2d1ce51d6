export * from './core/index.js';
export * from './internal/public.js';
export * from './pagination/index.js';
export * from './resource/index.js';
export * from './validation/index.js';

export * from './api-promise.js';
export * from './base-client.js';
export * from './middleware.js';
export * from './page-promise.js';
export * from './resource.js';
export * from './service.js';

export * from './iterate.js';
export * from './page.js';
export * from './path.js';
export * from './strategies.js';

export { originOf, type ScServerInfo, ScSession, type ScSessionOptions } from './auth/session.js';
export { ScClient, type ScClientOptions } from './client.js';
export { BackupError, DatasetValidationError, ScAuthenticationError } from './errors.js';
export * from './generated/index.js';
export { SC_ENV, scErrorPolicy, scService } from './service.js';

export { type MockService, type Seed, type ServableFake, serviceNames, services } from './registry.js';
export { parseSeed, readSeedFile, SeedError } from './seed.js';
export { type MockServer, type MockServerOptions, startMockServer, UnknownServiceError } from './server.js';

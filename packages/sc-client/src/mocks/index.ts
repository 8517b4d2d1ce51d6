export { createScFake, type ScFake, type ScFakeOptions } from './fake.js';
export { ScFakeState, type StoredMedia, type StoredProject } from './state.js';

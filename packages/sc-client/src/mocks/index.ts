export { createScFake, type ScFake, type ScFakeOptions } from './fake.js';
export {
  ScFakeState,
  type StoredJob,
  type StoredMedia,
  type StoredModel,
  type StoredModelGroup,
  type StoredProject,
} from './state.js';

/**
 * `@mlclients/package-core/json`: JSON read and written the way Python's `json` module does it, without loss.
 * Ints and floats stay apart (`1.0` is not `1`), big ints stay exact, objects keep their key order (as Maps), and the
 * two encodings quilt3 hashes and writes are reproduced byte for byte. Browser-safe: no `node:` import.
 */
export { cloneJson, isTruthy, type JsonObject, type JsonValue, PyNumber } from './json-value.js';
export { JsonSyntaxError, parseJson } from './parse-json.js';
export { fromPlainJson, MetadataValueError, toPlainJson } from './plain-json.js';
export {
  canonicalJson,
  compareCodePoints,
  dumpManifestJson,
  dumpPythonJson,
  JsonEncodeError,
  pythonJsonString,
} from './python-dump.js';
export { pythonFloatRepr } from './python-float.js';

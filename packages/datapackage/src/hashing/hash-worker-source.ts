/**
 * The hashing worker's code, as a CommonJS string run with `new Worker(code, { eval: true })`. Kept as a string on
 * purpose: it then works unchanged from TS sources (vitest, tsx) and from the built dist, with no loader or path
 * guessing. It only uses node:fs and node:crypto; reads are synchronous because the worker has nothing else to do.
 */
export const HASH_WORKER_SOURCE = `
'use strict';
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const { createHash } = require('node:crypto');
const buffer = Buffer.allocUnsafe(8 * 1024 * 1024);

function readRange(fd, start, end, onData) {
  let position = start;
  while (position < end) {
    const want = Math.min(buffer.length, end - position);
    const read = fs.readSync(fd, buffer, 0, want, position);
    if (read === 0) throw Object.assign(new Error('file shrank while it was being hashed'), { code: 'ESHRANK' });
    onData(buffer.subarray(0, read));
    position += read;
  }
}

function run(task) {
  if (task.kind === 'chunks') {
    const fd = fs.openSync(task.path, 'r');
    try {
      const digests = [];
      for (let start = task.start; start < task.end; start += task.chunkSize) {
        const end = Math.min(start + task.chunkSize, task.end);
        const hash = createHash('sha256');
        readRange(fd, start, end, (data) => hash.update(data));
        digests.push(hash.digest());
        parentPort.postMessage({ id: task.id, progress: end - start });
      }
      return Buffer.concat(digests);
    } finally {
      fs.closeSync(fd);
    }
  }
  if (task.kind === 'small-files') {
    const values = [];
    for (const path of task.paths) {
      const data = fs.readFileSync(path);
      const inner = createHash('sha256').update(data).digest();
      values.push(data.length === 0 ? inner.toString('base64') : createHash('sha256').update(inner).digest('base64'));
      parentPort.postMessage({ id: task.id, progress: data.length, files: 1 });
    }
    return values;
  }
  if (task.kind === 'stat') {
    // (size, mtimeMs, ino) per path in one Float64Array, NaN size for a missing path or a non-file. It is
    // transferred, not copied, and the main thread parses nothing: stat is the whole cost of an unchanged re-hash.
    const out = new Float64Array(task.paths.length * 3);
    for (let i = 0; i < task.paths.length; i++) {
      const s = fs.statSync(task.paths[i], { throwIfNoEntry: false });
      if (s && s.isFile()) {
        out[i * 3] = s.size;
        out[i * 3 + 1] = s.mtimeMs;
        out[i * 3 + 2] = s.ino;
      } else out[i * 3] = NaN;
    }
    return out;
  }
  if (task.kind === 'sha256') {
    const fd = fs.openSync(task.path, 'r');
    try {
      const hash = createHash('sha256');
      const size = fs.fstatSync(fd).size;
      readRange(fd, 0, size, (data) => hash.update(data));
      parentPort.postMessage({ id: task.id, progress: size, files: 1 });
      return hash.digest('hex');
    } finally {
      fs.closeSync(fd);
    }
  }
  throw new Error('unknown task ' + task.kind);
}

parentPort.on('message', (task) => {
  try {
    const result = run(task);
    parentPort.postMessage({ id: task.id, result }, result instanceof Float64Array ? [result.buffer] : []);
  } catch (error) {
    parentPort.postMessage({ id: task.id, error: { message: error.message, code: error.code } });
  }
});
`;

/**
 * The hashing worker's code, as a CommonJS string run with `new Worker(code, { eval: true })`. Kept as a string on
 * purpose: it then works unchanged from TS sources (vitest, tsx) and from the built dist, with no loader or path
 * guessing. It only uses node:fs and node:crypto; reads are synchronous because the worker has nothing else to do.
 */
export const HASH_WORKER_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { createHash, hash: oneShotHash } = require('node:crypto');
const v8 = require('node:v8');
// Flags this worker's start reset for the whole process, set again (see young-generation.ts); none in the main thread.
// After the requires: a changed flag makes Node compile the built-ins loaded later without their code cache.
if (workerData && workerData.resetV8Flags) v8.setFlagsFromString(workerData.resetV8Flags);
const buffer = Buffer.allocUnsafe(8 * 1024 * 1024);
const PROGRESS_BYTES = 4 * 1024 * 1024;

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

/** SHA-256 of bytes in memory: crypto.hash (one call, no Hash object per file) where Node has it. */
const sha256 = typeof oneShotHash === 'function'
  ? (data, encoding) => oneShotHash('sha256', data, encoding)
  : (data, encoding) => createHash('sha256').update(data).digest(encoding);

/**
 * The hash of a whole object held in memory: one chunk of sha2-256-chunked (small objects only), or legacy SHA256.
 * The chunk's digest comes as hex and becomes bytes from Node's buffer pool: a 'buffer' digest is a native
 * allocation of its own per file, which made a small file's read, hash and write ~10 % slower (measured).
 */
function hashWhole(data, type) {
  if (type === 'SHA256') return sha256(data, 'hex');
  if (data.length === 0) return sha256(data, 'base64');
  return sha256(Buffer.from(sha256(data, 'hex'), 'hex'), 'base64');
}

/**
 * A whole small file, read into the worker's buffer (valid until the next read; no allocation per file), with the
 * opened file's identity; data is null (nothing read) for a file larger than max (at most the buffer's size) or not a
 * regular file.
 */
function readWhole(path, max) {
  const fd = fs.openSync(path, 'r');
  try {
    const info = fs.fstatSync(fd);
    if (!info.isFile() || info.size > Math.min(max, buffer.length)) return { data: null, info };
    const target = buffer;
    let filled = 0;
    while (filled < info.size) {
      const read = fs.readSync(fd, target, filled, info.size - filled, filled);
      if (read === 0) break;
      filled += read;
    }
    return { data: target.subarray(0, filled), info };
  } finally {
    fs.closeSync(fd);
  }
}

/** Read-only and non-blocking: a FIFO planted where a file should be answers at once instead of hanging the open. */
const READ_NONBLOCK = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK || 0);

/**
 * A small file the caller expects to hold \`size\` bytes, read without a stat (one system call fewer per file):
 * up to size + 1 bytes, so a longer file shows (data null, with the file's stat; also for what cannot be read from
 * the start: a folder, a pipe); a shorter file's bytes are returned. The caller hashes what it gets: bytes that are not
 * the manifest's fail as a mismatch, whatever the reads returned.
 */
function readExpected(path, size) {
  if (size >= buffer.length) return readWhole(path, size);
  const fd = fs.openSync(path, READ_NONBLOCK);
  try {
    let filled = 0;
    try {
      // The usual case is one read: the expected size, short of the size + 1 asked for. A read that stops short
      // elsewhere (network and FUSE file systems may) is followed by another, until the end (0) or past the size.
      while (filled <= size) {
        const read = fs.readSync(fd, buffer, filled, size + 1 - filled, filled);
        filled += read;
        if (read === 0 || filled === size) break;
      }
    } catch (error) {
      if (error.code !== 'EISDIR' && error.code !== 'ESPIPE' && error.code !== 'EAGAIN') throw error;
      filled = size + 1;
    }
    if (filled <= size) return { data: buffer.subarray(0, filled), info: undefined };
    return { data: null, info: fs.fstatSync(fd) };
  } finally {
    fs.closeSync(fd);
  }
}

/** Progress messages every PROGRESS_BYTES or so (one per small file cost more than hashing it); flush() the rest. */
class Progress {
  constructor(id) {
    this.id = id;
    this.bytes = 0;
    this.files = 0;
  }
  add(bytes) {
    this.bytes += bytes;
    this.files++;
    if (this.bytes >= PROGRESS_BYTES) this.flush();
  }
  flush() {
    if (this.files > 0) parentPort.postMessage({ id: this.id, progress: this.bytes, files: this.files });
    this.bytes = 0;
    this.files = 0;
  }
}

/**
 * Writes a new file (exclusive create: an existing one is an error, never overwritten). With identify, returns the
 * written file's stat, taken before close.
 */
function writeNew(path, data, identify) {
  const out = fs.openSync(path, 'wx');
  try {
    let written = 0;
    while (written < data.length) written += fs.writeSync(out, data, written, data.length - written);
    const info = identify ? fs.fstatSync(out) : undefined;
    fs.closeSync(out);
    return info;
  } catch (error) {
    fs.closeSync(out);
    fs.rmSync(path, { force: true }); // no partial temp file left behind (ENOSPC...)
    throw error;
  }
}

/**
 * Gives the temp file its final name and removes the temp name. link(2) never replaces an existing name, so of two
 * pushes racing for a key exactly one creates it ('exists' for the other, whose object is left alone); a reader never
 * sees a partial object. Used where the bytes must wait for checks (staged now, linked later).
 */
function linkOnce(temp, target) {
  try {
    fs.linkSync(temp, target);
    return 'created';
  } catch (error) {
    if (error.code !== 'EEXIST') throw error;
    return 'exists';
  } finally {
    fs.unlinkSync(temp);
  }
}

/**
 * Writes data straight to its final path, created exclusively (O_EXCL: an existing file, another push's object, is
 * never replaced: 'exists'). One create instead of temp + link + unlink: two directory updates fewer per object,
 * which on ext4 is most of a small object's cost. A concurrent reader may see the object before its last byte, but
 * nothing trusts an object unread: a manifest names it only after this push has flushed it, and every reader (a
 * racing push finding 'exists', install, the cache) hashes what it reads. A failed write removes what it created. With
 * identify, the new file's mtime and inode come back (an install records them in the stat cache).
 */
function createOnce(path, data, identify) {
  let info;
  try {
    info = writeNew(path, data, identify);
  } catch (error) {
    if (error.code === 'EEXIST') return { outcome: 'exists' };
    throw error;
  }
  return identify ? { outcome: 'created', mtimeMs: info.mtimeMs, ino: info.ino } : { outcome: 'created' };
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
    const progress = new Progress(task.id);
    const values = [];
    for (const path of task.paths) {
      const { data } = readWhole(path, buffer.length);
      if (data === null)
        throw Object.assign(new Error("'" + path + "' changed while it was being hashed (now not a file of one chunk)"), { code: 'ECHANGED' });
      values.push(hashWhole(data, 'sha2-256-chunked'));
      progress.add(data.length);
    }
    progress.flush();
    return values;
  }
  if (task.kind === 'hash-files') {
    // Files whose identity is not known yet (not in the stat cache): opened, identified by fstat and, when one chunk,
    // read and hashed in the same pass, so each costs no separate stat. Per path: the value (null for a larger
    // file, which the caller hashes by chunks) and (size, mtimeMs, ino), NaN size for a path that cannot be opened
    // or is not a regular file (the caller raises the precise error).
    const progress = new Progress(task.id);
    const values = [];
    const ids = new Float64Array(task.paths.length * 3);
    for (let i = 0; i < task.paths.length; i++) {
      let read;
      try {
        read = readWhole(task.paths[i], buffer.length);
      } catch {
        read = null;
      }
      if (read === null || !read.info.isFile()) {
        ids[i * 3] = NaN;
        values.push(null);
        continue;
      }
      ids[i * 3] = read.data === null ? read.info.size : read.data.length;
      ids[i * 3 + 1] = read.info.mtimeMs;
      ids[i * 3 + 2] = read.info.ino;
      if (read.data === null) values.push(null);
      else {
        values.push(hashWhole(read.data, 'sha2-256-chunked'));
        progress.add(read.data.length);
      }
    }
    progress.flush();
    return { values, ids };
  }
  if (task.kind === 'copy-files') {
    // Each source is read once, hashed, and written only if it hashes to the manifest's value: the object the
    // registry gets is the bytes that were hashed.
    const progress = new Progress(task.id);
    const outcomes = [];
    for (const item of task.items) {
      const { data, info } = readExpected(item.source, item.size);
      if (data === null) {
        outcomes.push({ outcome: 'mismatch', actual: 'other bytes', size: info.size });
        continue;
      }
      const actual = hashWhole(data, item.type);
      progress.add(data.length);
      if (actual !== item.value || data.length !== item.size) {
        outcomes.push({ outcome: 'mismatch', actual, size: data.length });
        continue;
      }
      outcomes.push(createOnce(item.target, data, true));
    }
    progress.flush();
    return outcomes;
  }
  if (task.kind === 'stage-files') {
    // Hashing fused with copying: each source is read once, hashed (sha2-256-chunked, one chunk) and written to its
    // temp file, or straight to its target (created exclusively, never replacing a file; with the outcome); the
    // identity (size, mtime, inode) is the opened file's. A file now over maxBytes is left out (null).
    const progress = new Progress(task.id);
    const staged = [];
    for (const item of task.items) {
      const { data, info } = readWhole(item.source, task.maxBytes);
      if (data === null) {
        staged.push(null);
        continue;
      }
      const value = hashWhole(data, 'sha2-256-chunked');
      const result = { value, size: data.length, mtimeMs: info.mtimeMs, ino: info.ino };
      if (item.temp === undefined) result.outcome = createOnce(item.target, data, false).outcome; // no fstat: unused
      else writeNew(item.temp, data);
      progress.add(data.length);
      staged.push(result);
    }
    progress.flush();
    return staged;
  }
  if (task.kind === 'link-files') {
    const outcomes = task.items.map((item) => linkOnce(item.temp, item.target));
    parentPort.postMessage({ id: task.id, progress: 0, files: task.items.length });
    return outcomes;
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
    const transfer = result instanceof Float64Array ? [result.buffer] : result && result.ids instanceof Float64Array ? [result.ids.buffer] : [];
    parentPort.postMessage({ id: task.id, result }, transfer);
  } catch (error) {
    parentPort.postMessage({ id: task.id, error: { message: error.message, code: error.code } });
  }
});
`;

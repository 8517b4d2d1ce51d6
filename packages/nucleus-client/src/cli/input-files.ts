/**
 * Records read from a file the user names: a JSON array or NDJSON (one JSON value per line; blank lines skipped).
 * Every problem names the file and the line (NDJSON) or the index (JSON array), and is found before anything is
 * sent.
 */
import { readFile } from 'node:fs/promises';
import { UsageError } from './errors.js';

export interface RecordsFile {
  path: string;
  records: unknown[];
  /** Where record `i` came from: `items.ndjson line 4` or `items.json [3]`. */
  where(index: number): string;
}

export async function readRecords(path: string): Promise<RecordsFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder' : (error as Error).message}`,
    );
  }
  if (text.trimStart().startsWith('[')) {
    let records: unknown;
    try {
      records = JSON.parse(text);
    } catch (error) {
      throw new UsageError(`${path}: not valid JSON (${(error as Error).message})`);
    }
    return { path, records: records as unknown[], where: (i) => `${path} [${i}]` };
  }
  const records: unknown[] = [];
  const lines: number[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    try {
      records.push(JSON.parse(line));
    } catch (error) {
      throw new UsageError(`${path} line ${i + 1}: not valid JSON (${(error as Error).message})`);
    }
    lines.push(i + 1);
  });
  return { path, records, where: (i) => `${path} line ${lines[i] ?? '?'}` };
}

/** Every record is a JSON object (else a usage error naming the first few that are not). */
export function requireObjects(file: RecordsFile): Record<string, unknown>[] {
  const bad = file.records.flatMap((r, i) =>
    r && typeof r === 'object' && !Array.isArray(r) ? [] : [`${file.where(i)}: expected a JSON object`],
  );
  if (bad.length) throw new UsageError(problemList(bad));
  return file.records as Record<string, unknown>[];
}

/** Up to 10 problems, one per line, and how many more there are. */
export function problemList(problems: readonly string[]): string {
  const shown = problems.slice(0, 10).join('\n  ');
  const more = problems.length > 10 ? `\n  (and ${problems.length - 10} more)` : '';
  return `${problems.length === 1 ? shown : `${problems.length} problems, nothing was sent:\n  ${shown}`}${more}`;
}

/** `items[3].reference_id` in a library issue path, rewritten as `items.ndjson line 4: reference_id`. */
export function issueAt(file: RecordsFile, path: string, message: string): string {
  const m = /^\w+\[(\d+)\]\.?(.*)$/.exec(path);
  if (!m) return `${file.path}: ${path}: ${message}`;
  const field = m[2] ? `${m[2]}: ` : '';
  return `${file.where(Number(m[1]))}: ${field}${message.replace(/duplicate of index (\d+)/, (_s, j) => `duplicate of ${file.where(Number(j))}`)}`;
}

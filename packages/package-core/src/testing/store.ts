/** An in-memory resource store: what a stateful fake keeps behind its handlers (create -> get -> list works). */

/** Options of {@link MemoryStore}. */
export interface MemoryStoreOptions<T> {
  /** Field holding the id. @default 'id' */
  idField?: keyof T & string;
  /** Makes an id for `create` when the input has none. @default sequential numbers as strings ('1', '2', ...) */
  generateId?: (sequence: number) => string | number;
}

/** A list slice with the total, for offset pagination. */
export interface StoreSlice<T> {
  items: T[];
  total: number;
}

/** Records keyed by id, kept in insertion order. Returns copies so a handler cannot mutate stored state by accident. */
export class MemoryStore<T extends Record<string, unknown>> {
  private readonly records = new Map<string, T>();
  private sequence = 0;
  readonly idField: keyof T & string;
  private readonly generateId: (sequence: number) => string | number;

  /**
   * Creates a `MemoryStore`.
   *
   * @param options The id field and how ids are made (default: `id`, the strings `'1'`, `'2'`...).
   */
  constructor(options: MemoryStoreOptions<T> = {}) {
    this.idField = options.idField ?? ('id' as keyof T & string);
    this.generateId = options.generateId ?? ((n) => String(n));
  }

  /** Number of records. */
  get size(): number {
    return this.records.size;
  }

  /** Insert (an id is generated when missing). */
  create(input: Partial<T>): T {
    const id = input[this.idField] ?? this.generateId(++this.sequence);
    const record = { ...input, [this.idField]: id } as T;
    this.records.set(String(id), record);
    return { ...record };
  }

  /** Insert many (test setup). */
  seed(items: Iterable<Partial<T>>): this {
    for (const item of items) this.create(item);
    return this;
  }

  /** The record with this id, or undefined. */
  get(id: string | number): T | undefined {
    const r = this.records.get(String(id));
    return r ? { ...r } : undefined;
  }

  /** Merge a patch into a record; undefined when absent. */
  update(id: string | number, patch: Partial<T>): T | undefined {
    const key = String(id);
    const r = this.records.get(key);
    if (!r) return undefined;
    const next = { ...r, ...patch, [this.idField]: r[this.idField] } as T;
    this.records.set(key, next);
    return { ...next };
  }

  /** Remove a record; false when absent. */
  delete(id: string | number): boolean {
    return this.records.delete(String(id));
  }

  /** Every record (copies), optionally filtered. */
  all(filter?: (item: T) => boolean): T[] {
    const out: T[] = [];
    for (const r of this.records.values()) if (!filter || filter(r)) out.push({ ...r });
    return out;
  }

  /** One offset/limit slice plus the total. */
  slice(offset: number, limit: number, filter?: (item: T) => boolean): StoreSlice<T> {
    const items = this.all(filter);
    return { items: items.slice(offset, offset + limit), total: items.length };
  }

  /** Remove every record and restart the id sequence. */
  clear(): void {
    this.records.clear();
    this.sequence = 0;
  }
}

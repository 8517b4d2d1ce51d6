/**
 * The stateful part of a fake: one table per resource, ids shaped like the real service's, and what the real server
 * derives when an object is read: parent ids it fills from related records (a trial's `project_id` comes from its
 * session, a session's from its experiment), and the parent filters lists accept, which see those derived parents.
 * Reads return copies, so a test holding an object never sees it change behind its back.
 */
import { MemoryStore } from './store.js';

/** A stored object (`id` is set). */
export type StoredObject = Record<string, unknown> & { id: string | number };

/** How a resource's ids look on the real service. */
export type IdStyle = 'integer' | 'hex' | 'uuid' | 'name';

/** Computes one field of an object from other records (returns null/undefined when it cannot). */
export type Deriver = (obj: StoredObject, store: ResourceStore) => unknown;

/** What a fake declares per resource. */
export interface ResourceDeclaration {
  /** @default 'integer' */
  idStyle?: IdStyle;
  /** The table its objects live in, when they share another resource's (endpoint predictions are prediction groups). */
  table?: string;
  /** Fields the server fills at read time from related records; a stored non-null value wins. */
  derived?: Readonly<Record<string, Deriver>>;
  /**
   * Fields a list accepts as filters (derived fields included). A filter matches objects whose field equals the
   * value (as strings, as Rails compares params); an object without the field never matches. Other parameters
   * are ignored, as a server ignores parameters it does not permit.
   */
  filters?: readonly string[];
}

function sameValue(field: unknown, wanted: unknown): boolean {
  if (field === undefined || field === null) return false;
  if (Array.isArray(wanted)) return wanted.some((w) => sameValue(field, w));
  return String(field) === String(wanted);
}

/** The tables of a fake. */
export class ResourceStore {
  private readonly tables = new Map<string, MemoryStore<StoredObject>>();
  private readonly declarations: Readonly<Record<string, ResourceDeclaration>>;
  private counter = 0;

  /**
   * Creates a `ResourceStore`.
   *
   * @param declarations Each resource's id style, table and derived fields, by resource name.
   */
  constructor(declarations: Readonly<Record<string, ResourceDeclaration>> = {}) {
    this.declarations = declarations;
  }

  /** The declaration of a resource ({} when undeclared). */
  declaration(resource: string): ResourceDeclaration {
    return this.declarations[resource] ?? {};
  }

  /** The table name a resource's objects live in. */
  tableName(resource: string): string {
    return this.declaration(resource).table ?? resource;
  }

  /** The raw table of a resource (created on first use), in insertion order. */
  table(resource: string): MemoryStore<StoredObject> {
    const name = this.tableName(resource);
    let t = this.tables.get(name);
    if (!t) {
      t = new MemoryStore<StoredObject>();
      this.tables.set(name, t);
    }
    return t;
  }

  /** A new id in the resource's style: integers count up from the largest stored; hex and UUID strings are unique. */
  nextId(resource: string): string | number {
    this.counter += 1;
    const style = this.idStyle(resource);
    if (style === 'integer') {
      let max = 0;
      for (const o of this.table(resource).all()) if (typeof o.id === 'number' && o.id > max) max = o.id;
      return max + 1;
    }
    if (style === 'uuid') return globalThis.crypto.randomUUID();
    // 16 hex digits like the Hub's (`c356ff9b6ecc7364`); a counter keeps them unique and runs reproducible.
    return (BigInt(this.counter) * 0x9e3779b97f4a7c15n).toString(16).padStart(16, '0').slice(-16);
  }

  /** Ids of non-integer styles are strings on the wire, even when a client sends a number. */
  normalizeId(resource: string, id: string | number): string | number {
    return this.idStyle(resource) === 'integer' ? id : String(id);
  }

  /** The id style of a resource, or of the table it shares. */
  idStyle(resource: string): IdStyle {
    return (
      this.declaration(resource).idStyle ?? this.declaration(this.tableName(resource)).idStyle ?? 'integer'
    );
  }

  /** Store an object (its `id` must be set); replaces one with the same id. Returns a copy (without derivation). */
  insert(resource: string, obj: StoredObject): StoredObject {
    const t = this.table(resource);
    t.delete(obj.id);
    return t.create(obj);
  }

  /** The stored object, without derived fields. */
  raw(resource: string, id: string | number): StoredObject | undefined {
    return this.table(resource).get(id);
  }

  /** One object by id (ids compare as strings: `"31"` finds `31`, as Rails does), with derived fields. */
  get(resource: string, id: string | number): StoredObject | undefined {
    const obj = this.raw(resource, id);
    return obj ? this.derive(resource, obj) : undefined;
  }

  /** Every object, with derived fields, optionally filtered by the resource's declared filters. */
  list(resource: string, filters: Readonly<Record<string, unknown>> = {}): StoredObject[] {
    const declared = this.declaration(resource).filters;
    const active = Object.entries(filters).filter(
      ([k, v]) => v !== undefined && v !== null && (declared === undefined || declared.includes(k)),
    );
    return this.table(resource)
      .all()
      .map((o) => this.derive(resource, o))
      .filter((o) => active.every(([k, v]) => sameValue(o[k], v)));
  }

  /** Merge fields into a stored object; returns the updated copy (with derived fields), undefined when absent. */
  patch(resource: string, id: string | number, fields: Record<string, unknown>): StoredObject | undefined {
    const updated = this.table(resource).update(id, fields as Partial<StoredObject>);
    return updated ? this.derive(resource, updated) : undefined;
  }

  /** Remove an object; returns it, or undefined when absent. */
  remove(resource: string, id: string | number): StoredObject | undefined {
    const obj = this.get(resource, id);
    if (obj) this.table(resource).delete(id);
    return obj;
  }

  /** Empty every table. */
  clear(): void {
    this.tables.clear();
    this.counter = 0;
  }

  /** Every non-empty table's raw objects (for a seed file or a debugging dump). */
  dump(): Record<string, StoredObject[]> {
    return Object.fromEntries([...this.tables].map(([name, t]) => [name, t.all()]));
  }

  private derive(resource: string, obj: StoredObject): StoredObject {
    const derived = this.declaration(resource).derived;
    if (!derived) return obj;
    const out: StoredObject = { ...obj };
    for (const [field, compute] of Object.entries(derived)) {
      if (out[field] !== undefined && out[field] !== null) continue;
      const value = compute(obj, this);
      if (value !== undefined) out[field] = value;
    }
    return out;
  }
}

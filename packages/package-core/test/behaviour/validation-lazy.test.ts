/**
 * Generated schemas are built on first use (`lazily`, `lazyRecord` from validation/lazy.ts): nothing is built before
 * it is read, a schema is built once and kept, and a record still lists every key (built or not).
 */
import { describe, expect, it } from 'vitest';
import { lazily, lazyRecord } from '../../src/validation/lazy.js';

describe('lazily', () => {
  it('builds on the first call, not before, and returns the same value after', () => {
    let builds = 0;
    const schema = lazily(() => ({ n: ++builds }));
    expect(builds).toBe(0);
    const first = schema();
    expect(first).toEqual({ n: 1 });
    expect(schema()).toBe(first);
    expect(builds).toBe(1);
  });
});

describe('lazyRecord', () => {
  it('lists its keys without building anything; a read builds that entry once and keeps it', () => {
    const built: string[] = [];
    const record = lazyRecord({
      User: () => {
        built.push('User');
        return { kind: 'user' };
      },
      Team: () => {
        built.push('Team');
        return { kind: 'team' };
      },
    });
    expect(Object.keys(record)).toEqual(['User', 'Team']);
    expect(built).toEqual([]);
    const user = record.User;
    expect(user).toEqual({ kind: 'user' });
    expect(record.User).toBe(user);
    expect(built).toEqual(['User']);
    // Still listed (and now a plain value) after it was built.
    expect(Object.keys(record)).toEqual(['User', 'Team']);
    expect(Object.getOwnPropertyDescriptor(record, 'User')).toMatchObject({ value: user, enumerable: true });
    expect({ ...record }).toEqual({ User: { kind: 'user' }, Team: { kind: 'team' } });
  });
});

/**
 * What generated `zod.ts` modules build their schemas with: each schema is made on first use and kept, so loading a
 * client's schemas costs one function per schema, and a call validates against only the schemas it reaches.
 */

/**
 * A function that builds a value on its first call and returns the same value on every call after.
 *
 * @example
 * ```ts
 * const UserSchema = lazily(() => z.object({ id: z.int() }));
 * UserSchema() === UserSchema(); // true: built once
 * ```
 */
export function lazily<T>(build: () => T): () => T {
  let built: T | undefined;
  return () => {
    built ??= build();
    return built;
  };
}

/**
 * An object whose property `key` is `builders[key]()`, built on its first read and kept (later reads are plain
 * property reads). The keys are enumerable, so `Object.keys` lists them without building anything.
 *
 * @example
 * ```ts
 * const schemas = lazyRecord({ User: () => z.object({ id: z.int() }) });
 * schemas.User.parse({ id: 1 }); // builds the User schema on this first read
 * ```
 *
 * @typeParam B The builders, by key.
 */
export function lazyRecord<B extends Record<string, () => unknown>>(
  builders: B,
): { readonly [K in keyof B]: ReturnType<B[K]> } {
  const record = {};
  for (const [key, build] of Object.entries(builders)) {
    Object.defineProperty(record, key, {
      enumerable: true,
      configurable: true,
      get() {
        const value = build();
        Object.defineProperty(record, key, { value, enumerable: true });
        return value;
      },
    });
  }
  return record as { readonly [K in keyof B]: ReturnType<B[K]> };
}

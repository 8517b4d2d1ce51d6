/**
 * State that every copy of this package loaded in one thread must share: two installed versions, or a bundle beside
 * the package, each have their own module instances, and the install lock and recovery must still see each other's
 * running installs. Worker threads have their own (their installs tell each other apart by thread id).
 */

/** The Set named `name` of this thread, made on first use. */
export function threadSharedSet(name: string): Set<string> {
  const key = Symbol.for(`@mlclients/datapackage/${name}`);
  const holder = globalThis as Record<symbol, Set<string> | undefined>;
  let set = holder[key];
  if (set === undefined) {
    set = new Set<string>();
    holder[key] = set;
  }
  return set;
}

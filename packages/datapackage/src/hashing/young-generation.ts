/**
 * Keeping V8's young generation at its initial size (two 1 MiB semi-spaces) for a process that asks for it: the
 * `datapkg` CLI. A library never changes its caller's V8 flags.
 *
 * Why: most of what a command allocates lives until it ends (an entry, a key and a hash per file), and such objects
 * are promoted after two scavenges whatever the young generation's size, so letting it grow to 2 × 16 MiB saves few
 * collections. What growing costs is fresh memory: a page fault for every page first touched, 17-22 µs each on the
 * virtual machines measured (about 8,000 faults for the grown semi-spaces).
 *
 * How: `--semi-space-growth-factor=1`, which V8 reads at each scavenge. `--max-semi-space-size` would say it more
 * directly, but it only acts when given on the command line, before the heap exists. V8 flags belong to the process,
 * and configuring a new isolate's heap (every Worker's start) raises this one back to its minimum of 2, so each
 * hashing worker sets it again as soon as its code runs ({@link workerStartData}). Node's start of a worker takes
 * 50-150 ms, and a scavenge in that window may still grow the young generation: to 2 × 2 or 2 × 4 MiB in the runs
 * measured (keeping it at 2 × 1 MiB there too changed neither the faults nor the time).
 *
 * Measured on Node 20 (V8 11.3), tmpfs, A/B: where a fault cost ~20 µs, a push of 10,000 files 0.97 → 0.83 s and an
 * install 0.90 → 0.80 s; where one costs ~2 µs, push 0.378 → 0.366 s and install unchanged (0.357 → 0.355 s). Newer
 * V8s declare the minimum of 2 as a flag implication, and where they apply it to flags set at run time this changes
 * nothing (the default growth stays; nothing fails).
 */
import { setFlagsFromString } from 'node:v8';

const KEEP_INITIAL_SIZE = '--semi-space-growth-factor=1';

let kept = false;

/**
 * From now on the young generation of this thread and of every hashing worker stays at its initial size. Called once
 * the modules a command needs are loaded: a changed V8 flag makes Node compile the built-in modules loaded after it
 * without their embedded code cache.
 */
export function keepYoungGenerationSmall(): void {
  kept = true;
  setFlagsFromString(KEEP_INITIAL_SIZE);
}

/** The `workerData` of a new hashing worker: the flags it sets again as it starts (none unless a process asked). */
export function workerStartData(): { resetV8Flags?: string } {
  return kept ? { resetV8Flags: KEEP_INITIAL_SIZE } : {};
}

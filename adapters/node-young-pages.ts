// After a lull, V8's memory reducer gives the young generation's pooled pages back to the system; on Node 24
// the pool then stayed empty, every scavenge mapped fresh pages, and a fastGlobals server answered at about
// 0.7 of its speed from then on (docs/performance.md). Without "favors memory" the reducer still collects
// when the process goes idle, but keeps those few MB of pages.
import { setFlagsFromString } from "node:v8";

let kept = false;

/**
 * Keeps V8's young-generation pages when the process goes idle (`--no-memory-reducer-favors-memory`), once
 * per process; part of what fastGlobals changes.
 *
 * @example
 * if (options.fastGlobals) keepYoungPagesWhenIdle();
 */
export function keepYoungPagesWhenIdle(): void {
  if (kept) return;
  kept = true;
  setFlagsFromString("--no-memory-reducer-favors-memory");
}

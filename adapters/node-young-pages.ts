// After a lull, V8's memory reducer gives the young generation's pooled pages back to the system; on Node 24
// the pool then stayed empty, every scavenge mapped fresh pages, and a fastGlobals server answered at about
// 0.7 of its speed from then on (docs/performance.md). Without "favors memory" the reducer still collects
// when the process goes idle, but keeps those few MB of pages.
import { setFlagsFromString } from "node:v8";

/**
 * Keeps V8's young-generation pages when the process goes idle (`--no-memory-reducer-favors-memory`);
 * part of what fastGlobals changes. Setting the flag again changes nothing.
 *
 * @example
 * if (options.fastGlobals) keepYoungPagesWhenIdle();
 */
export function keepYoungPagesWhenIdle(): void {
  setFlagsFromString("--no-memory-reducer-favors-memory");
}

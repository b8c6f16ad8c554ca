// Node's own fetch classes, kept aside when fastGlobals puts tsgi's in the globals: the fast classes build
// Node's objects only when something needs them. Reading the classes themselves loads undici (Node keeps
// them as lazy properties of the global object), and once replaced they cannot be reached again.

/** The classes and function fastGlobals replaces, as the runtime gave them. */
export interface Natives {
  Request: typeof Request;
  Response: typeof Response;
  Headers: typeof Headers;
  fetch: typeof fetch;
}

// Kept on the global object under a registered symbol, so that a second copy of tsgi in the process (two
// bundles, say) finds Node's classes too, rather than taking the first copy's fast ones for them.
const key = Symbol.for("tsgi.natives");
const registry = globalThis as { [key]?: Natives };

/**
 * The runtime's own classes: those kept by `keepNatives`, else the globals as they are now (read only when
 * called, so that importing the fast classes touches none of them).
 *
 * @example
 * const native = new (natives().Response)("hello");
 */
export function natives(): Natives {
  return registry[key] ?? { Request, Response, Headers, fetch };
}

/** Whether fastGlobals replaced the globals in this process, by this copy of tsgi or another. */
export function nativesKept(): boolean {
  return registry[key] !== undefined;
}

/** Keeps the runtime's classes before the globals are replaced; only the first call counts. */
export function keepNatives(): Natives {
  registry[key] ??= { Request, Response, Headers, fetch };
  return registry[key];
}

/**
 * Whether `value` is one of the runtime's own objects of `kind`. The tag check comes first, so that
 * telling a plain value from a Response never makes Node build its fetch classes.
 *
 * @example
 * isNative(await fetch(url), "Response"); // true
 */
export function isNative(value: unknown, kind: "Request" | "Response" | "Headers"): boolean {
  if (typeof value !== "object" || value === null) return false;
  if ((value as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag] !== kind) return false;
  return Function.prototype[Symbol.hasInstance].call(natives()[kind], value);
}

// Node's own fetch classes, kept aside when fastGlobals puts tsgi's in the globals: the fast classes build
// Node's objects only when something needs them. Node keeps the classes as lazy properties of the global
// object, and reading one (even its descriptor) loads undici, which costs a Lambda most of its cold start.
// So fastGlobals shadows the names with script-scope bindings and leaves the properties alone until a
// native is needed; then it reads them and puts the fast classes in the properties too.

/** The classes and function fastGlobals replaces, as the runtime gave them. */
export interface Natives {
  Request: typeof Request;
  Response: typeof Response;
  Headers: typeof Headers;
  fetch: typeof fetch;
}

/** The fast classes, which take the natives' places. */
export type Classes = Omit<Natives, "fetch">;

interface Kept {
  fetch: typeof fetch;
  fast: Classes;
  natives?: Natives;
}

// Kept on the global object under a registered symbol, so that a second copy of tsgi in the process (two
// bundles, say) finds Node's classes too, rather than taking the first copy's fast ones for them.
const key = Symbol.for("tsgi.natives");
const registry = globalThis as { [key]?: Kept };
// The properties, not the names: once fastGlobals is on, a bare `Request` is tsgi's.
const global = globalThis as unknown as Natives;
const readNatives = (nativeFetch: Natives["fetch"]): Natives => ({
  Request: global.Request,
  Response: global.Response,
  Headers: global.Headers,
  fetch: nativeFetch,
});

/**
 * The runtime's own classes (loaded now if fastGlobals left them unread), else the globals as they are.
 *
 * @example
 * const native = new (natives().Response)("hello");
 */
export function natives(): Natives {
  const kept = registry[key];
  if (kept === undefined) return readNatives(global.fetch);
  if (kept.natives === undefined) {
    kept.natives = readNatives(kept.fetch);
    Object.assign(globalThis, kept.fast);
  }
  return kept.natives;
}

/** Whether fastGlobals replaced the globals in this process, by this copy of tsgi or another. */
export function nativesKept(): boolean {
  return registry[key] !== undefined;
}

/**
 * Keeps the runtime's fetch and puts `fast` under the names of its classes, leaving their properties
 * unread until `natives()` needs them; only the first call counts. Returns the runtime's fetch.
 */
export function keepNatives(fast: Classes): typeof fetch {
  if (registry[key] !== undefined) return registry[key].fetch;
  registry[key] = { fetch: global.fetch, fast };
  shadow(fast);
  return global.fetch;
}

// Script-scope `let` bindings come before the global object's properties when a name is looked up, in every
// module and script of the realm (ECMA-262 §9.1.1.4), so the names change while the properties stay unread.
function shadow(fast: Classes): void {
  const { runInThisContext } = process.getBuiltinModule("node:vm");
  const assign = runInThisContext(
    "let Request, Response, Headers; (fast) => { ({ Request, Response, Headers } = fast); }",
    { filename: "tsgi:fast-globals" },
  ) as (fast: Classes) => void;
  assign(fast);
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

// tsgi's Headers for fastGlobals: the Fetch standard's Headers (names case-insensitive, repeated fields
// joined with ", " except Set-Cookie, iteration sorted by name) kept as a flat list, with nothing built
// until it is read. A header list the server parsed is taken as it is, checked names and all.
import { isToken } from "../../http-token.ts";
import { isNative, natives } from "./natives.ts";

// RFC 9110 §5.1 field names are tokens; values hold no NUL, CR or LF and no char above 0xFF (a ByteString).
const badValue = /[\0\r\n\u0100-\uffff]/;
// HTTP whitespace at either end, which the standard strips from every value (Fetch §2.2 "normalize").
const edges = /^[\t\n\r ]+|[\t\n\r ]+$/g;
const hasEdges = /^[\t\n\r ]|[\t\n\r ]$/;
// Either of the two above: most values have neither, and one test tells.
const edgesOrBad = new RegExp(`${hasEdges.source}|${badValue.source}`);

// The names an application uses come back request after request: each is checked and lowercased once.
const checkedNames = new Map<string, string>();
const maxCheckedNames = 1024;
const maxCachedName = 64;

function checkedName(name: unknown, method: string): string {
  const known = typeof name === "string" ? checkedNames.get(name) : undefined;
  if (known !== undefined) return known;
  const text = String(name);
  if (!isToken(text)) throw new TypeError(`Headers.${method}: "${text}" is an invalid header name.`);
  const lower = text.toLowerCase();
  if (checkedNames.size < maxCheckedNames && text.length <= maxCachedName) checkedNames.set(text, lower);
  return lower;
}

function checkedValue(value: unknown, method: string): string {
  let text = String(value);
  if (!edgesOrBad.test(text)) return text;
  if (hasEdges.test(text)) text = text.replace(edges, "");
  if (badValue.test(text)) throw new TypeError(`Headers.${method}: "${text}" is an invalid header value.`);
  return text;
}

/** A header source the server already parsed: a flat `[name, value, …]` list, names in any case. */
export type RawHeaderList = readonly string[];

/**
 * The Fetch standard's Headers. `FastHeaders.fromRaw` takes a list the server parsed without checking it
 * again; `new FastHeaders(init)` checks as `new Headers(init)` does.
 *
 * @example
 * const headers = new FastHeaders({ "Content-Type": "text/plain" });
 * headers.get("content-type"); // "text/plain"
 */
export class FastHeaders {
  // Lowercase names and values, in the order they came: [name, value, name, value, …].
  #list: string[];
  // The raw list not yet lowercased (from the server), or undefined once #list holds it.
  #raw: RawHeaderList | undefined;
  #sorted: [string, string][] | undefined;

  constructor(init?: HeadersInit | FastHeaders) {
    this.#list = [];
    this.#raw = undefined;
    this.#sorted = undefined;
    if (init === undefined) return;
    if (typeof init === "object" && init !== null && #list in init) {
      this.#list = init.#flat().slice();
      return;
    }
    if (typeof init !== "object" || init === null) {
      // The runtime's own conversion error, word for word.
      new (natives().Headers)(init as HeadersInit);
      throw new TypeError("Headers constructor: invalid init");
    }
    // A new list has nothing raw or sorted yet: its fields go straight onto it.
    const list = this.#list;
    if (Symbol.iterator in init) {
      for (const pair of init as Iterable<Iterable<unknown>>) {
        const entry = typeof pair === "string" ? [] : Array.isArray(pair) ? pair : [...pair];
        if (entry.length !== 2)
          throw new TypeError(`Headers constructor: expected name/value pair to be length 2, found ${entry.length}.`);
        list.push(checkedName(entry[0], "append"), checkedValue(entry[1], "append"));
      }
      return;
    }
    const record = init as Record<string, unknown>;
    for (const name of Object.keys(record))
      list.push(checkedName(name, "append"), checkedValue(record[name], "append"));
  }

  /** Headers over a flat list the server parsed; the list is read only when the headers are. */
  static fromRaw(raw: RawHeaderList): FastHeaders {
    const headers = new FastHeaders();
    headers.#raw = raw;
    return headers;
  }

  /** The fields as a flat `[name, value, …]` list, names lowercase, in the order they were added. */
  static flat(headers: FastHeaders): readonly string[] {
    return headers.#flat();
  }

  static [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: a subclass inherits this method, and must be told apart.
    if (this !== FastHeaders) return Function.prototype[Symbol.hasInstance].call(this, value);
    return (typeof value === "object" && value !== null && #list in value) || isNative(value, "Headers");
  }

  #flat(): string[] {
    const raw = this.#raw;
    if (raw === undefined) return this.#list;
    this.#raw = undefined;
    const list = this.#list;
    for (let i = 0; i < raw.length; i += 2) {
      // HTTP/2 pseudo-headers (":path") are the request line, not fields.
      if (raw[i].charCodeAt(0) !== 58) list.push(raw[i].toLowerCase(), raw[i + 1]);
    }
    return list;
  }

  #push(name: string, value: string): void {
    this.#flat().push(name, value);
    this.#sorted = undefined;
  }

  append(name: string, value: string): void {
    this.#push(checkedName(name, "append"), checkedValue(value, "append"));
  }

  delete(name: string): void {
    const key = checkedName(name, "delete");
    const list = this.#flat();
    const kept: string[] = [];
    for (let i = 0; i < list.length; i += 2) if (list[i] !== key) kept.push(list[i], list[i + 1]);
    if (kept.length === list.length) return;
    this.#list = kept;
    this.#sorted = undefined;
  }

  get(name: string): string | null {
    const key = checkedName(name, "get");
    const list = this.#flat();
    let found: string | null = null;
    for (let i = 0; i < list.length; i += 2) {
      if (list[i] === key) found = found === null ? list[i + 1] : `${found}, ${list[i + 1]}`;
    }
    return found;
  }

  getSetCookie(): string[] {
    const list = this.#flat();
    const cookies: string[] = [];
    for (let i = 0; i < list.length; i += 2) if (list[i] === "set-cookie") cookies.push(list[i + 1]);
    return cookies;
  }

  has(name: string): boolean {
    const key = checkedName(name, "has");
    const list = this.#flat();
    for (let i = 0; i < list.length; i += 2) if (list[i] === key) return true;
    return false;
  }

  set(name: string, value: string): void {
    const key = checkedName(name, "set");
    const text = checkedValue(value, "set");
    const list = this.#flat();
    const kept: string[] = [];
    let placed = false;
    for (let i = 0; i < list.length; i += 2) {
      if (list[i] !== key) kept.push(list[i], list[i + 1]);
      else if (!placed) {
        kept.push(key, text);
        placed = true;
      }
    }
    if (!placed) kept.push(key, text);
    this.#list = kept;
    this.#sorted = undefined;
  }

  // Fetch §2.2 "sort and combine": by name, repeated fields joined, each Set-Cookie its own entry.
  #entries(): [string, string][] {
    if (this.#sorted !== undefined) return this.#sorted;
    const list = this.#flat();
    const names: string[] = [];
    for (let i = 0; i < list.length; i += 2) if (!names.includes(list[i])) names.push(list[i]);
    names.sort();
    const sorted: [string, string][] = [];
    for (const name of names) {
      if (name === "set-cookie") for (const cookie of this.getSetCookie()) sorted.push([name, cookie]);
      else sorted.push([name, this.get(name) as string]);
    }
    this.#sorted = sorted;
    return sorted;
  }

  forEach(callback: (value: string, name: string, parent: FastHeaders) => void, thisArg?: unknown): void {
    for (const [name, value] of this.#entries()) callback.call(thisArg, value, name, this);
  }

  *entries(): HeadersIterator<[string, string]> {
    // A copy, so that changes while iterating do not shift what is left (as the standard's iterator).
    for (const entry of this.#entries().slice()) yield [entry[0], entry[1]];
  }

  *keys(): HeadersIterator<string> {
    for (const [name] of this.#entries().slice()) yield name;
  }

  *values(): HeadersIterator<string> {
    for (const [, value] of this.#entries().slice()) yield value;
  }

  [Symbol.iterator](): HeadersIterator<[string, string]> {
    return this.entries();
  }

  get [Symbol.toStringTag](): string {
    return "Headers";
  }
}

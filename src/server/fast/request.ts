// tsgi's Request for fastGlobals. The server makes light ones (`FastRequest.light`): a URL, a method, the
// header list it parsed and a body it has not read, each built into a Fetch object only when read.
// `new Request(url, init)` with a common init is light too (request-init.ts). The rest (a Request as
// input, a rarer init, `fetch(request)`) goes to Node's own Request, so whatever is rare behaves exactly
// as the standard says because it is the runtime's own.
import { type SignalHolder, signalOf } from "../lazy-signal.ts";
import { type BodySource, FastBody } from "./body.ts";
import { FastHeaders, type RawHeaderList } from "./headers.ts";
import { isNative, natives } from "./natives.ts";
import { simpleRequest } from "./request-init.ts";

/** What the server knows of a request it parsed. */
export interface LightRequest {
  /** Written as the URL standard writes it (`serializedUrl`): it is what `request.url` gives. */
  url: string;
  method: string;
  /** A flat list the server parsed, or headers already checked. */
  headers: RawHeaderList | FastHeaders;
  body: BodySource | null;
}

// The one argument that makes the constructor take a LightRequest: no application can pass it.
const lightToken: unique symbol = Symbol("tsgi.lightRequest");
let nextLight: LightRequest | undefined;

/** The Request a native needs in place of `input`: a fast one gives its state up. */
function nativeInput(input: unknown): unknown {
  return FastRequest.owns(input) ? input.toNative() : input;
}

/**
 * The Fetch standard's Request. `new FastRequest(url, init)` with a common init and `FastRequest.light(…)`
 * give light ones; any other `new FastRequest(input, init)` gives Node's own Request (an instance of a
 * subclass wraps one). `instanceof` holds for both kinds and for Node's own.
 *
 * @example
 * const request = FastRequest.light({ url: "http://x/", method: "GET", headers: ["host", "x"], body: null });
 * request.headers.get("host"); // "x"
 */
export class FastRequest {
  #url!: string;
  #method!: string;
  #headers: FastHeaders | undefined;
  #raw: RawHeaderList | undefined;
  #body!: FastBody | null;
  // Where the body and the rarer fields live once a native Request holds them.
  #native: Request | undefined;
  // A subclass instance follows the signal of the native its init made; a light one keeps its own.
  #signalFrom: Request | undefined;
  // The signal given to `new Request(url, { signal })`, which this one's follows once made.
  #follows: AbortSignal | undefined;
  #followed: AbortSignal | undefined;

  constructor(input: RequestInfo | URL | typeof lightToken, init?: RequestInit) {
    if (input === lightToken && nextLight !== undefined) {
      const light = nextLight;
      nextLight = undefined;
      this.#url = light.url;
      this.#method = light.method;
      // Array.isArray, not instanceof: FastHeaders' instanceof asks a list for its toStringTag, per request.
      const raw = Array.isArray(light.headers);
      this.#headers = raw ? undefined : (light.headers as FastHeaders);
      this.#raw = raw ? (light.headers as RawHeaderList) : undefined;
      this.#body = light.body === null ? null : new FastBody(light.body);
      this.#native = undefined;
      this.#signalFrom = undefined;
      this.#follows = undefined;
      return;
    }
    const simple = simpleRequest(input, init);
    if (simple !== undefined) {
      this.#url = simple.url;
      this.#method = simple.method;
      this.#headers = simple.headers;
      this.#raw = undefined;
      this.#body = simple.body === null ? null : new FastBody(simple.body);
      this.#native = undefined;
      this.#signalFrom = undefined;
      this.#follows = simple.signal;
      return;
    }
    const native = new (natives().Request)(nativeInput(input) as RequestInfo, init);
    // The base class answers with Node's own Request; a subclass keeps its prototype and wraps one.
    // biome-ignore lint/correctness/noConstructorReturn: `new Request(…)` is meant to give Node's own object.
    if (new.target === FastRequest) return native as unknown as FastRequest;
    this.#url = native.url;
    this.#method = native.method;
    this.#headers = new FastHeaders(native.headers);
    this.#raw = undefined;
    this.#body = null;
    this.#native = native;
    this.#signalFrom = native;
    this.#follows = undefined;
  }

  /** A light Request over what the server parsed; nothing is checked again. */
  static light(light: LightRequest): FastRequest {
    nextLight = light;
    return new FastRequest(lightToken);
  }

  static [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: a subclass inherits this method, and must be told apart.
    if (this !== FastRequest) return Function.prototype[Symbol.hasInstance].call(this, value);
    return FastRequest.owns(value) || isNative(value, "Request");
  }

  /** Whether `value` is a FastRequest itself, not one of Node's own. */
  static owns(value: unknown): value is FastRequest {
    return typeof value === "object" && value !== null && #url in value;
  }

  /**
   * Node's own Request for this one, for whatever needs it (`fetch`, `new Request(request)`): the body
   * moves to it, and from then on this request reads its body through it.
   */
  toNative(): Request {
    if (this.#native !== undefined) return this.#native;
    const body = this.#body;
    if (body?.unusable)
      throw new TypeError("Cannot construct a Request with a Request object that has already been used.");
    const init = { method: this.#method, headers: this.headers, signal: this.signal, duplex: "half" };
    const source = body === null ? null : (body.take() ?? body.stream);
    const native = new (natives().Request)(this.#url, { ...init, body: source } as RequestInit);
    this.#body = null;
    this.#native = native;
    return native;
  }

  get url(): string {
    return this.#url;
  }

  get method(): string {
    return this.#method;
  }

  get headers(): Headers {
    if (this.#headers === undefined) {
      this.#headers = FastHeaders.fromRaw(this.#raw as RawHeaderList);
      this.#raw = undefined;
    }
    return this.#headers as unknown as Headers;
  }

  get signal(): AbortSignal {
    if (this.#signalFrom !== undefined) return this.#signalFrom.signal;
    // Made on first read, as the server's lazy signals are: most requests never have theirs read.
    if (this.#follows === undefined) return signalOf(this as SignalHolder).signal;
    this.#followed ??= AbortSignal.any([this.#follows]);
    return this.#followed;
  }

  get body(): ReadableStream<Uint8Array> | null {
    if (this.#native !== undefined) return this.#native.body;
    return this.#body === null ? null : this.#body.stream;
  }

  get bodyUsed(): boolean {
    if (this.#native !== undefined) return this.#native.bodyUsed;
    return this.#body?.used === true;
  }

  get cache(): RequestCache {
    return this.#native?.cache ?? "default";
  }
  get credentials(): RequestCredentials {
    return this.#native?.credentials ?? "same-origin";
  }
  get destination(): RequestDestination {
    return this.#native?.destination ?? "";
  }
  get integrity(): string {
    return this.#native?.integrity ?? "";
  }
  get keepalive(): boolean {
    return this.#native?.keepalive ?? false;
  }
  get mode(): RequestMode {
    return this.#native?.mode ?? "cors";
  }
  get redirect(): RequestRedirect {
    return this.#native?.redirect ?? "follow";
  }
  get referrer(): string {
    return this.#native?.referrer ?? "about:client";
  }
  get referrerPolicy(): ReferrerPolicy {
    return this.#native?.referrerPolicy ?? "";
  }
  get isReloadNavigation(): boolean {
    return false;
  }
  get isHistoryNavigation(): boolean {
    return false;
  }
  get duplex(): "half" {
    return "half";
  }

  // What a body method reads: the fast body, the native Request that took it over, or for no body an empty
  // one, which leaves bodyUsed false (Fetch §6.2 "consume body").
  #reader(): FastBody | Request {
    return this.#body ?? this.#native ?? new FastBody("");
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    return this.#reader().arrayBuffer();
  }
  bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return this.#reader().bytes() as Promise<Uint8Array<ArrayBuffer>>;
  }
  text(): Promise<string> {
    return this.#reader().text();
  }
  json(): Promise<unknown> {
    return this.#reader().json();
  }
  // Only Node's classes parse these: the body moves to a native Request, which refuses a used one as Node's does.
  async blob(): Promise<Blob> {
    return this.toNative().blob();
  }
  async formData(): Promise<FormData> {
    return this.toNative().formData();
  }

  clone(): Request {
    if (this.#native !== undefined) return new (natives().Request)(this.#native.clone(), { signal: this.signal });
    const body = this.#body?.clone() ?? null;
    const copy = FastRequest.light({
      url: this.#url,
      method: this.#method,
      headers: new FastHeaders(this.headers),
      body: null,
    });
    copy.#body = body;
    // The clone follows this request's signal, as the standard's clone does.
    const signal = this.signal;
    if (signal.aborted) signalOf(copy as SignalHolder).abort(signal.reason);
    else signal.addEventListener("abort", () => signalOf(copy as SignalHolder).abort(signal.reason), { once: true });
    return copy as unknown as Request;
  }

  get [Symbol.toStringTag](): string {
    return "Request";
  }
}

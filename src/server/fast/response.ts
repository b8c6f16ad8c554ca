// tsgi's Response for fastGlobals. The common ones (a string, bytes, a stream or nothing as the body; a
// status, a reason and headers as the init) stay light, and the server writes their body as it is. Any
// other (a Blob, FormData or URLSearchParams body, an init the standard would refuse or convert) is Node's
// own Response, made by Node's constructor, so it behaves, and fails, exactly as Node's does.
import { isNullBodyStatus } from "../../no-body.ts";
import { FastBody, lightBody, textPlain } from "./body.ts";
import { FastHeaders } from "./headers.ts";
import { isNative, natives } from "./natives.ts";

const applicationJson = "application/json";
// RFC 9112 §4 reason-phrase: tab, space, visible ASCII and obs-text.
const reasonPhrase = /^[\t\x20-\x7e\x80-\xff]*$/;

/** A light Response as the server writes it. */
export interface WireResponse {
  status: number;
  statusText: string;
  /** Flat `[name, value, …]`, names lowercase, Content-Type included. */
  headers: readonly string[];
  /** The body as it was given; null for none. */
  body: string | Uint8Array | null;
}

const noInit: ResponseInit = Object.freeze({});
// The header lists of a light Response that was given none, one per implied type, shared (never changed).
const typeOnly = new Map<string | undefined, readonly string[]>([
  [undefined, Object.freeze([])],
  [textPlain, Object.freeze(["content-type", textPlain])],
  [applicationJson, Object.freeze(["content-type", applicationJson])],
]);

/** The init if the light path can take it as it is; undefined for one the native constructor must judge. */
function simpleInit(init: ResponseInit | undefined): ResponseInit | undefined {
  if (init === undefined) return noInit;
  if (typeof init !== "object" || init === null) return undefined;
  const { status, statusText } = init;
  if (status !== undefined && (typeof status !== "number" || !Number.isInteger(status) || status < 200 || status > 599))
    return undefined;
  if (statusText !== undefined && (typeof statusText !== "string" || !reasonPhrase.test(statusText))) return undefined;
  return init;
}

// The one argument that makes the constructor take a light body as it is (Response.json's text).
const lightToken: unique symbol = Symbol("tsgi.lightResponse");
let nextText: string | undefined;

/**
 * The Fetch standard's Response; `instanceof` holds for light ones and for Node's own (`fetch()`'s too).
 *
 * @example
 * const response = new FastResponse("hello", { status: 201 });
 * FastResponse.wire(response); // { status: 201, statusText: "", headers: ["content-type", "text/plain;charset=UTF-8"], body: "hello" }
 */
export class FastResponse {
  #status!: number;
  #statusText!: string;
  #headers: FastHeaders | undefined;
  // The Content-Type the body implies, while no headers were asked for or given.
  #type: string | undefined;
  #body!: FastBody | null;
  #native: Response | undefined;

  constructor(body?: BodyInit | null | typeof lightToken, init?: ResponseInit) {
    const json = body === lightToken;
    const source = json ? (nextText as string) : lightBody(body, true);
    const simple = simpleInit(init);
    const status = simple?.status ?? 200;
    if (source === undefined || simple === undefined || (source !== null && isNullBodyStatus(status))) {
      const native = new (natives().Response)(body as BodyInit, init);
      // The base class answers with Node's own Response; a subclass keeps its prototype and wraps one.
      // biome-ignore lint/correctness/noConstructorReturn: `new Request(…)` is meant to give Node's own object.
      if (new.target === FastResponse) return native as unknown as FastResponse;
      this.#status = native.status;
      this.#statusText = native.statusText;
      this.#headers = new FastHeaders(native.headers);
      this.#type = undefined;
      this.#body = null;
      this.#native = native;
      return;
    }
    this.#status = status;
    this.#statusText = simple.statusText ?? "";
    this.#native = undefined;
    this.#body = source === null ? null : new FastBody(source);
    const type = json ? applicationJson : typeof source === "string" ? textPlain : undefined;
    if (simple.headers === undefined) {
      this.#headers = undefined;
      this.#type = type;
    } else {
      const headers = new FastHeaders(simple.headers as HeadersInit);
      if (type !== undefined && !headers.has("content-type")) headers.append("content-type", type);
      this.#headers = headers;
      this.#type = undefined;
    }
  }

  static json(data: unknown, init?: ResponseInit): Response {
    const text = JSON.stringify(data);
    if (text === undefined) throw new TypeError("Value is not JSON serializable");
    const simple = simpleInit(init);
    if (simple === undefined || isNullBodyStatus(simple.status ?? 200)) return natives().Response.json(data, init);
    nextText = text;
    return new FastResponse(lightToken, init) as unknown as Response;
  }

  static redirect(url: string | URL, status?: number): Response {
    return natives().Response.redirect(url, status);
  }

  static error(): Response {
    return natives().Response.error();
  }

  static [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: a subclass inherits this method, and must be told apart.
    if (this !== FastResponse) return Function.prototype[Symbol.hasInstance].call(this, value);
    return (typeof value === "object" && value !== null && #status in value) || isNative(value, "Response");
  }

  /**
   * What the server writes for a light Response whose body is still the string or bytes it was given, and
   * the body counts as read from now on; undefined for any other (write it as a Response).
   */
  static wire(response: unknown): WireResponse | undefined {
    if (!FastResponse.isLight(response)) return undefined;
    const light = response as FastResponse;
    let body: string | Uint8Array | null = null;
    if (light.#body !== null) {
      const taken = light.#body.take();
      if (taken === undefined) return undefined;
      body = taken;
    }
    return { status: light.#status, statusText: light.#statusText, headers: light.#flatHeaders(), body };
  }

  /** Whether a Response is a light one (not Node's own, nor one that took Node's over). */
  static isLight(response: unknown): boolean {
    return typeof response === "object" && response !== null && #status in response && response.#native === undefined;
  }

  /** A light Response's header list as `wire` gives it, whatever its body; undefined for any other Response. */
  static flatHeaders(response: unknown): readonly string[] | undefined {
    return FastResponse.isLight(response) ? (response as FastResponse).#flatHeaders() : undefined;
  }

  #flatHeaders(): readonly string[] {
    return this.#headers !== undefined ? FastHeaders.flat(this.#headers) : (typeOnly.get(this.#type) ?? []);
  }

  /** `response.body === null`, told without making a stream of a light body. */
  static hasNullBody(response: Response): boolean {
    if (!FastResponse.isLight(response)) return response.body === null;
    return (response as unknown as FastResponse).#body === null;
  }

  #toNative(): Response {
    if (this.#native !== undefined) return this.#native;
    const body = this.#body;
    const source = body === null ? null : (body.take() ?? body.stream);
    const init = { status: this.#status, statusText: this.#statusText, headers: this.headers };
    this.#native = new (natives().Response)(source as BodyInit | null, init);
    this.#body = null;
    return this.#native;
  }

  get status(): number {
    return this.#status;
  }
  get ok(): boolean {
    return this.#status >= 200 && this.#status <= 299;
  }
  get statusText(): string {
    return this.#statusText;
  }
  get type(): ResponseType {
    return this.#native?.type ?? "default";
  }
  get url(): string {
    return this.#native?.url ?? "";
  }
  get redirected(): boolean {
    return this.#native?.redirected ?? false;
  }

  get headers(): Headers {
    if (this.#headers === undefined) {
      const type = this.#type;
      this.#headers = type === undefined ? new FastHeaders() : FastHeaders.fromRaw(["content-type", type]);
      this.#type = undefined;
    }
    return this.#headers as unknown as Headers;
  }

  get body(): ReadableStream<Uint8Array> | null {
    if (this.#native !== undefined) return this.#native.body;
    return this.#body === null ? null : this.#body.stream;
  }

  get bodyUsed(): boolean {
    if (this.#native !== undefined) return this.#native.bodyUsed;
    return this.#body?.used === true;
  }

  // What a body method reads: the fast body, the native Response that took it over, or for no body an empty
  // one, which leaves bodyUsed false (Fetch §6.2 "consume body").
  #reader(): FastBody | Response {
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
  // Only Node's classes parse these: the body moves to a native Response, which refuses a used one as Node's does.
  async blob(): Promise<Blob> {
    return this.#toNative().blob();
  }
  async formData(): Promise<FormData> {
    return this.#toNative().formData();
  }

  clone(): Response {
    if (this.#native !== undefined) return this.#native.clone();
    const copy = new FastResponse(null, { status: this.#status, statusText: this.#statusText });
    copy.#headers = new FastHeaders(this.headers);
    copy.#body = this.#body?.clone() ?? null;
    return copy as unknown as Response;
  }

  get [Symbol.toStringTag](): string {
    return "Response";
  }
}

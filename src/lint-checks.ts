import { describe } from "./errors.ts";
import { isToken } from "./http-token.ts";
import type { LintRuleId } from "./lint-rules.ts";
import { isBodyless } from "./no-body.ts";
import type { Runtime } from "./types.ts";

/** Where a check sends what it finds; `lint()` decides between throwing and warning. */
export type Report = (id: LintRuleId, message: string) => void;

// RFC 9110 §5.5: field values are visible characters, SP, HTAB and obs-text; Node refuses the rest on the wire.
const fieldChars = /^[\t\x20-\x7e\x80-\xff]*$/;
const edgeSpace = /^[\t ]|[\t ]$/;
// RFC 9112 §4: reason-phrase = *( HTAB / SP / VCHAR / obs-text ).
const reasonPhrase = fieldChars;
const ipv4 = /^(?:\d{1,3}\.){3}\d{1,3}$/;
const ipv6 = /^[0-9a-f]*:[0-9a-f:.]*(?:%[\w.-]+)?$/i;
// RFC 9110 §7.6.1 and RFC 9113 §8.2.2: framing belongs to the server; HTTP/2 refuses these outright.
const connectionSpecific = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade"]);

/** What `ctx.platform` holds on each runtime (SPEC.md §8), keyed by `Runtime` so a new one must be added here. */
const platformKeys: Readonly<Record<Runtime, readonly string[]>> = {
  node: ["req", "res"],
  deno: ["info"],
  bun: ["server"],
  workerd: ["ctx"],
  "aws-lambda": ["event", "context"],
  // The test client's platform is its own.
  test: [],
};
const runtimes = Object.keys(platformKeys);
const isRuntime = (value: unknown): value is Runtime => typeof value === "string" && Object.hasOwn(platformKeys, value);

const isObject = (value: unknown): value is object => typeof value === "object" && value !== null;
const show = (value: string): string => JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);

/** The server's side of a call (SPEC.md §3.1–§3.3): the request, env and ctx the application is given. */
export function checkServerSide(request: unknown, env: unknown, ctx: unknown, report: Report): void {
  if (!(request instanceof Request))
    report("§3.1-b", `request is ${describe(request)}, not an instance of the global Request`);
  if (isObject(request)) {
    const { url, method } = request as { url?: unknown; method?: unknown };
    if (!isAbsoluteHttpUrl(url))
      report(
        "§3.1-c",
        `request.url ${typeof url === "string" ? show(url) : describe(url)} is not an absolute http: or https: URL`,
      );
    if (typeof method !== "string" || !isToken(method))
      report("§3.1-d", `request.method ${typeof method === "string" ? show(method) : describe(method)} is not a token`);
  }
  if (!isObject(env)) report("§3.2-a", `env is ${describe(env)}, not an object`);
  if (!isObject(ctx))
    return report("§3.3-a", `ctx is ${describe(ctx)}, not an object with runtime, waitUntil and the rest`);
  checkContext(ctx as Record<string, unknown>, report);
}

function isAbsoluteHttpUrl(url: unknown): boolean {
  if (typeof url !== "string") return false;
  try {
    const { protocol } = new URL(url);
    return protocol === "http:" || protocol === "https:";
  } catch {
    return false;
  }
}

function checkContext(ctx: Record<string, unknown>, report: Report): void {
  const { runtime, remoteAddress, waitUntil, passThroughOnException, upgradeWebSocket, props, platform } = ctx;
  if (!isRuntime(runtime))
    report(
      "§3.3-a",
      `ctx.runtime is ${typeof runtime === "string" ? show(runtime) : describe(runtime)}, not one of ${runtimes.join(", ")}`,
    );
  if (remoteAddress !== undefined && typeof remoteAddress !== "string")
    report("§3.3-b", `ctx.remoteAddress is ${describe(remoteAddress)}, not a string or undefined`);
  else if (typeof remoteAddress === "string" && !ipv4.test(remoteAddress) && !ipv6.test(remoteAddress)) {
    report("§3.3-c", `ctx.remoteAddress ${show(remoteAddress)} is not a bare IPv4 or IPv6 address`);
  }
  if (typeof waitUntil !== "function") report("§3.3-e", `ctx.waitUntil is ${describe(waitUntil)}, not a function`);
  if (typeof passThroughOnException !== "function")
    report("§3.3-h", `ctx.passThroughOnException is ${describe(passThroughOnException)}, not a function`);
  if (upgradeWebSocket !== undefined && typeof upgradeWebSocket !== "function")
    report("§3.3-i", `ctx.upgradeWebSocket is ${describe(upgradeWebSocket)}, not a function or absent`);
  if (!isObject(props)) report("§3.3-j", `ctx.props is ${describe(props)}, not an object`);
  if (!isObject(platform)) return report("§3.3-k", `ctx.platform is ${describe(platform)}, not an object`);
  const missing = isRuntime(runtime) ? platformKeys[runtime].filter((key) => !(key in platform)) : [];
  if (missing.length > 0) report("§3.3-k", `ctx.platform on ${runtime} lacks ${missing.join(", ")}`);
}

/** What `ctx.upgradeWebSocket` gave (SPEC.md §5): a socket and a Response. */
export function checkUpgrade(result: unknown, report: Report): void {
  const { socket, response } = (isObject(result) ? result : {}) as { socket?: unknown; response?: unknown };
  if (!(response instanceof Response))
    report("§5-b", `ctx.upgradeWebSocket gave ${describe(response)} as its response, not a Response`);
  if (!isObject(socket) || typeof (socket as { send?: unknown }).send !== "function")
    report("§5-b", `ctx.upgradeWebSocket gave ${describe(socket)} as its socket, not a WebSocket`);
}

/** What the application asks of `ctx.waitUntil` (SPEC.md §3.3). */
export function checkWaitUntilArgument(value: unknown, report: Report): void {
  if (!isObject(value) || typeof (value as { then?: unknown }).then !== "function") {
    report("§3.3-f", `ctx.waitUntil was given ${describe(value)}, not a promise`);
  }
}

/** What is left to check of a body while it streams: its chunks, and the length it declared. */
export interface BodyCheck {
  declared: number | undefined;
}

/**
 * The application's side (SPEC.md §3.4): what it returned. Gives what is left to check while the body
 * streams, or `undefined` where no body will be sent or it cannot be read.
 */
export function checkResponse(value: unknown, method: string, upgrade: boolean, report: Report): BodyCheck | undefined {
  if (!(value instanceof Response)) {
    report("§3.4-a", `application returned ${describe(value)}, not a Response`);
    return undefined;
  }
  const { status, statusText, body } = value;
  const ordinary = Number.isInteger(status) && status >= 200 && status <= 599;
  if (!ordinary && !upgrade)
    report(
      "§3.4-b",
      `status ${String(status)} is not from 200 to 599${status === 0 ? " (Response.error() is for fetch, not servers)" : ""}`,
    );
  if (typeof statusText !== "string" || !reasonPhrase.test(statusText)) {
    report(
      "§3.4-d",
      `statusText ${typeof statusText === "string" ? show(statusText) : describe(statusText)} is not a legal reason phrase (no CR, LF or control characters)`,
    );
  }
  checkHeaders(value.headers, upgrade, report);
  const used = value.bodyUsed || body?.locked === true;
  if (used) report("§3.4-e", `the response body is already ${value.bodyUsed ? "used" : "locked by a reader"}`);
  const bodyless = isBodyless(method, status);
  if (bodyless && body !== null)
    report(
      "§3.4-g",
      `a body given for ${method === "HEAD" ? "a HEAD request" : `status ${status}`}; the server will not send it`,
    );
  const readable = body !== null && !used && !bodyless && ordinary && !upgrade;
  const contentLength = headerValue(value.headers, "content-length");
  if (contentLength === null) return readable ? { declared: undefined } : undefined;
  if (status === 204 || (status >= 100 && status < 200)) {
    report("§3.4-f", `Content-Length ${show(contentLength)} on a ${status} response (RFC 9110 §8.6 forbids it)`);
  } else if (!/^\d+$/.test(contentLength)) {
    report("§3.4-f", `Content-Length ${show(contentLength)} is not a decimal number of bytes`);
  } else if (body === null && contentLength !== "0" && !bodyless) {
    // A response to HEAD, and a 304, may state the length the GET would have had (RFC 9110 §8.6).
    report("§3.4-f", `Content-Length ${contentLength} on a response without a body`);
  } else if (readable) {
    return { declared: Number(contentLength) };
  }
  return readable ? { declared: undefined } : undefined;
}

function checkHeaders(headers: unknown, upgrade: boolean, report: Report): void {
  let entries: [unknown, unknown][];
  try {
    entries = [...(headers as Iterable<[unknown, unknown]>)];
  } catch {
    return report("§3.4-c", `response.headers is ${describe(headers)}, not iterable as name/value pairs`);
  }
  for (const [name, value] of entries) {
    if (typeof name !== "string" || !isToken(name))
      report("§3.4-c", `header name ${typeof name === "string" ? show(name) : describe(name)} is not a token`);
    else if (typeof value !== "string" || !fieldChars.test(value) || edgeSpace.test(value)) {
      report(
        "§3.4-c",
        `header ${name}: value ${typeof value === "string" ? show(value) : describe(value)} has CR, LF, NUL, control characters or edge whitespace`,
      );
    } else if (connectionSpecific.has(name.toLowerCase()) && !(upgrade && name.toLowerCase() !== "transfer-encoding")) {
      report("§3.4-h", `header ${name} is connection-specific: framing is the server's (and HTTP/2 refuses it)`);
    }
  }
}

function headerValue(headers: unknown, name: string): string | null {
  return headers instanceof Headers ? headers.get(name) : null;
}

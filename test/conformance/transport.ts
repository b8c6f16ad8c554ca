// How the suite reaches a server: Node's own fetch over plain HTTP, or, over TLS with the test CA,
// a fetch-shaped client on node:https (HTTP/1.1) or node:http2 (HTTP/2), since Node's fetch takes no CA
// and speaks no HTTP/2 without undici's own Agent.
import { readFileSync } from "node:fs";
import { request as http1Request, Agent } from "node:https";
import {
  type ClientHttp2Session,
  type ClientHttp2Stream,
  constants,
  connect as http2Connect,
  type IncomingHttpHeaders,
} from "node:http2";
import type { IncomingHttpHeaders as Http1Headers } from "node:http";
import { PassThrough, Readable, type Writable } from "node:stream";
import { fileURLToPath } from "node:url";

/** The test certificate authority, key and certificate (test/fixtures/tls/README.md says how they were made). */
export const tlsFixture = {
  dir: fileURLToPath(new URL("../fixtures/tls/", import.meta.url)),
  get ca(): string {
    return readFileSync(`${this.dir}ca.pem`, "utf8");
  },
};

export type TransportName = "http" | "https" | "h2";
export type Fetch = (input: string | URL, init?: RequestInit) => Promise<Response>;

/** The protocol a transport speaks, and its fetch. */
export interface Transport {
  name: TransportName;
  fetch: Fetch;
}

interface Answer {
  status: number;
  headers: [string, string][];
  body: Readable;
}

/** What the client asks for, taken from fetch's arguments. */
interface Asked {
  url: URL;
  method: string;
  headers: [string, string][];
  body: Uint8Array | ReadableStream<Uint8Array> | undefined;
}

function asked(input: string | URL, init: RequestInit = {}): Asked {
  const method = (init.method ?? "GET").toUpperCase();
  const headers = [...new Headers(init.headers)];
  let body: Asked["body"];
  if (typeof init.body === "string") body = new TextEncoder().encode(init.body);
  else if (init.body instanceof Uint8Array || init.body instanceof ReadableStream) body = init.body;
  else if (init.body != null) throw new TypeError("test transport: bodies are strings, Uint8Arrays or streams");
  if (body instanceof Uint8Array && !headers.some(([name]) => name === "content-length"))
    headers.push(["content-length", String(body.byteLength)]);
  if (body instanceof Uint8Array && !headers.some(([name]) => name === "content-type") && typeof init.body === "string")
    headers.push(["content-type", "text/plain;charset=UTF-8"]);
  return { url: new URL(input), method, headers, body };
}

function sendBody(body: Asked["body"], out: Writable): void {
  if (body === undefined) out.end();
  else if (body instanceof Uint8Array) out.end(body);
  else Readable.fromWeb(body as import("node:stream/web").ReadableStream<Uint8Array>).pipe(out);
}

function pairs(headers: Http1Headers | IncomingHttpHeaders): [string, string][] {
  const out: [string, string][] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith(":") || value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [String(value)]) out.push([name, one]);
  }
  return out;
}

/** fetch's shape over `open`, which sends the request and resolves with the response head and body stream. */
function fetchOver(open: (asked: Asked, signal: AbortSignal | undefined) => Promise<Answer>): Fetch {
  return async (input, init) => {
    const request = asked(input, init);
    const signal = init?.signal ?? undefined;
    signal?.throwIfAborted();
    const answer = await open(request, signal);
    const headers = new Headers();
    for (const [name, value] of answer.headers) headers.append(name, value);
    const empty = request.method === "HEAD" || answer.status === 204 || answer.status === 304;
    if (empty) answer.body.resume();
    const body = empty ? null : (Readable.toWeb(answer.body) as ReadableStream<Uint8Array>);
    return new Response(body, { status: answer.status, headers });
  };
}

function abortable<T>(signal: AbortSignal | undefined, cancel: (reason: unknown) => void, run: Promise<T>): Promise<T> {
  if (!signal) return run;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      cancel(signal.reason);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    run.then(resolve, reject);
  });
}

/** HTTP/1.1 over TLS, keep-alive connections reused as fetch would. */
function https(): Fetch {
  const agent = new Agent({ ca: tlsFixture.ca, keepAlive: true, ALPNProtocols: ["http/1.1"] });
  return fetchOver(({ url, method, headers, body }, signal) => {
    const req = http1Request(url, { method, headers: Object.fromEntries(join(headers)), agent });
    const answer = new Promise<Answer>((resolve, reject) => {
      req.once("error", reject);
      req.once("response", (res) => resolve({ status: res.statusCode ?? 0, headers: pairs(res.headers), body: res }));
    });
    signal?.addEventListener("abort", () => req.destroy(signal.reason), { once: true });
    sendBody(body, req);
    return abortable(signal, (reason) => req.destroy(reason as Error), answer);
  });
}

// node:https takes one value a name: repeated ones joined as fetch would send them.
function join(headers: [string, string][]): Map<string, string> {
  const joined = new Map<string, string>();
  for (const [name, value] of headers) joined.set(name, joined.has(name) ? `${joined.get(name)}, ${value}` : value);
  return joined;
}

/** HTTP/2 over TLS (ALPN h2 only), one session an origin, as a browser keeps it. */
function h2(): Fetch {
  const sessions = new Map<string, ClientHttp2Session>();
  const session = (origin: string): ClientHttp2Session => {
    const open = sessions.get(origin);
    if (open && !open.closed && !open.destroyed) return open;
    const made = http2Connect(origin, { ca: tlsFixture.ca, ALPNProtocols: ["h2"] });
    made.on("error", () => {});
    made.once("close", () => sessions.get(origin) === made && sessions.delete(origin));
    made.unref();
    sessions.set(origin, made);
    return made;
  };
  return fetchOver(({ url, method, headers, body }, signal) => {
    const stream = session(url.origin).request(
      { ":method": method, ":path": url.pathname + url.search, ...Object.fromEntries(join(headers)) },
      { endStream: body === undefined },
    );
    const answer = new Promise<Answer>((resolve, reject) => {
      stream.once("error", reject);
      stream.once("response", (head) =>
        resolve({ status: Number(head[":status"]), headers: pairs(head), body: unlessReset(stream) }),
      );
    });
    signal?.addEventListener("abort", () => stream.destroy(signal.reason), { once: true });
    if (body !== undefined) sendBody(body, stream);
    return abortable(signal, (reason) => stream.destroy(reason as Error), answer);
  });
}

/**
 * The stream's body, failing when the server reset the stream with an error code: node:http2 ends the
 * readable side of a reset stream as if the body were complete, which a browser would not take. CANCEL
 * is let through: a stream that ended may show it when its session closes around it.
 */
function unlessReset(stream: ClientHttp2Stream): Readable {
  const body = new PassThrough();
  stream.on("data", (chunk: Buffer) => body.write(chunk) || stream.pause());
  body.on("drain", () => stream.resume());
  stream.once("error", (error) => body.destroy(error));
  const failed = (): boolean =>
    ![undefined, constants.NGHTTP2_NO_ERROR, constants.NGHTTP2_CANCEL].includes(stream.rstCode);
  const reset = (): void => void body.destroy(new Error(`the server reset the stream (error code ${stream.rstCode})`));
  stream.once("end", () => (failed() ? reset() : body.end()));
  stream.once("close", () => stream.readableEnded || reset());
  return body;
}

/** The transport of each name: Node's fetch for plain HTTP, the clients above over TLS. */
export function transport(name: TransportName): Transport {
  const fetch: Fetch = name === "http" ? globalThis.fetch : name === "https" ? https() : h2();
  return { name, fetch };
}

// fromNodeListener: a Node `(req, res)` listener (Express, Connect, Koa's callback, a node:http handler) as a
// tsgi application. The listener gets Node's own IncomingMessage and ServerResponse: Node's http.Server
// parses the request over an in-memory connection, and Node's own client parses what the response writes.
import { createServer, request as clientRequest, IncomingMessage, type Server, ServerResponse } from "node:http";
import { TsgiError } from "../src/errors.ts";
import { isNullBodyStatus } from "../src/no-body.ts";
import { isHopByHop, listedBy } from "../src/server/hop-by-hop.ts";
import type { Context, Handler } from "../src/types.ts";
import { answerDirectly, failDirectly } from "./node-listener-direct.ts";
import { answerOnWorkerd } from "./node-listener-workerd.ts";
import { MemorySocket, socketPair } from "./node-listener-socket.ts";
import { maxQueued } from "./node-request.ts";
import { drained } from "./node-response.ts";

/** A Node request listener: what `http.createServer` takes, and what Express, Connect and Koa's `callback()` are. */
export type RequestListener = (req: IncomingMessage, res: ServerResponse) => unknown;

/** The listener threw, rejected, or finished without answering: the client gets tsgi's 500 and it is reported. */
export class NodeListenerError extends TsgiError {
  constructor(message: string, cause?: unknown) {
    super("TSGI_NODE_LISTENER", message, { cause });
  }
}

/**
 * A Node `(req, res)` listener as a tsgi application, on every runtime with `node:http` (Node, Deno, Bun,
 * Lambda; workerd with `nodejs_compat`). The listener gets Node's own `req` and `res`.
 *
 * @example
 * import express from "express";
 * const legacy = express().get("/", (req, res) => res.send("hello"));
 * export default mount({ "/legacy": fromNodeListener(legacy), "/": honoApp });
 */
export function fromNodeListener(listener: RequestListener, options: FromNodeListenerOptions = {}): Handler {
  let server: Server | undefined;
  const guard = guarded(listener);
  return (request: Request, _env: unknown, ctx: Context): Response | Promise<Response> => {
    if (ctx?.runtime === "workerd") return answerOnWorkerd(guard, request);
    const platform = options.direct === true && ctx?.runtime === "node" ? nodePair(ctx.platform) : undefined;
    if (platform !== undefined) return answerDirectly(guard, request, platform.req, platform.res);
    server ??= createServer(guard);
    return exchange(server, request, ctx?.remoteAddress);
  };
}

/** Options of fromNodeListener. */
export interface FromNodeListenerOptions {
  /**
   * Under tsgi/node's own `serve`, give the listener Node's real `req` and `res`, with no translation: only
   * where nothing between the server and the listener reads or wraps the Response (no compress or logger
   * middleware around it), since the listener writes to the client itself. Elsewhere it has no effect.
   */
  direct?: boolean;
}

/** The Node adapter's own req and res, when `platform` holds a node:http pair (not http2's) still unanswered. */
function nodePair(platform: unknown): { req: IncomingMessage; res: ServerResponse } | undefined {
  const { req, res } = (platform ?? {}) as { req?: unknown; res?: unknown };
  if (!(req instanceof IncomingMessage) || !(res instanceof ServerResponse) || res.headersSent) return undefined;
  return { req, res };
}

/** The listener with its failures turned into the exchange's: thrown, rejected, or done without an answer. */
function guarded(listener: RequestListener): RequestListener {
  return (req, res) => {
    const fail = (error: unknown): void => {
      const socket = req.socket;
      if (socket instanceof MemorySocket && socket.onFail) socket.onFail(error);
      else if (!failDirectly(res, error)) res.destroy(error instanceof Error ? error : new Error(String(error)));
    };
    let result: unknown;
    try {
      result = listener(req, res);
    } catch (error) {
      return fail(new NodeListenerError("the Node listener threw", error));
    }
    if (!(result instanceof Promise)) return;
    result.then(
      () =>
        // An async listener that is done yet left the response unstarted will never answer.
        setImmediate(() => {
          if (!res.headersSent && !res.writableEnded && !res.destroyed)
            fail(new NodeListenerError("the Node listener finished without answering"));
        }),
      (error: unknown) => fail(new NodeListenerError("the Node listener rejected", error)),
    );
  };
}

/** One request through the server over a fresh in-memory connection; resolves once the response head is in. */
function exchange(server: Server, request: Request, remoteAddress: string | undefined): Promise<Response> {
  const url = new URL(request.url);
  const encrypted = url.protocol === "https:";
  const [inner, outer] = socketPair({
    remoteAddress,
    encrypted,
    localPort: Number(url.port) || (encrypted ? 443 : 80),
  });
  return new Promise<Response>((resolve, reject) => {
    let settled = false;
    const close = (): void => {
      inner.destroy();
      outer.destroy();
      request.signal.removeEventListener("abort", close);
    };
    // The client left: Node's req and res see their connection close and emit `close`.
    request.signal.addEventListener("abort", close);
    const fail = (error: unknown): void => {
      if (!settled) {
        settled = true;
        reject(error);
      }
      close();
    };
    inner.onFail = fail;
    server.emit("connection", inner);
    const out = clientRequest({
      method: request.method,
      path: url.pathname + url.search,
      setHost: false,
      createConnection: () => outer,
    });
    copyHeaders(request.headers, url, out);
    out.once("response", (res: IncomingMessage) => {
      settled = true;
      try {
        resolve(toResponse(res, request.method, close, (error) => fail(error)));
      } catch (error) {
        reject(error);
        close();
      }
    });
    out.once("error", (error) =>
      fail(
        inner.destroyed && !settled
          ? new NodeListenerError("the Node listener closed the connection without answering", error)
          : error,
      ),
    );
    void sendBody(request.body, out).catch((error: unknown) => {
      out.destroy(error instanceof Error ? error : new Error(String(error)));
      fail(error);
    });
  });
}

/** The request's headers on Node's client request, with `Host` from the URL where the request has none. */
function copyHeaders(headers: Headers, url: URL, out: ReturnType<typeof clientRequest>): void {
  const listed = listedBy(headers.get("connection"));
  for (const [name, value] of headers) {
    // The in-memory connection frames the body itself; content-length stays, as the client sent it.
    if (isHopByHop(name, listed) && name !== "te") continue;
    if (name === "set-cookie") out.appendHeader(name, value);
    else out.setHeader(name, value);
  }
  if (!headers.has("host")) out.setHeader("host", url.host);
  // Node's client adds `Connection` unless told not to; the listener should see only what the client sent.
  out.removeHeader("connection");
}

/** Streams the request body into Node's client request, waiting for `drain` whenever the listener is behind. */
async function sendBody(body: ReadableStream<Uint8Array> | null, out: ReturnType<typeof clientRequest>): Promise<void> {
  if (body === null) return void out.end();
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (out.destroyed) return void reader.cancel();
      if (!out.write(value)) await drained(out);
    }
    out.end();
  } finally {
    reader.releaseLock();
  }
}

/** The response Node's client parsed, as a fetch Response whose body follows the listener's writes. */
function toResponse(res: IncomingMessage, method: string, close: () => void, fail: (error: unknown) => void): Response {
  const headers = new Headers();
  const raw = res.rawHeaders;
  // Connection read from the raw list: `res.headers` would build a whole object for this one field.
  let connection: string | null = null;
  for (let i = 0; i < raw.length; i += 2)
    if (raw[i].length === 10 && raw[i].toLowerCase() === "connection")
      connection = connection === null ? raw[i + 1] : `${connection}, ${raw[i + 1]}`;
  const listed = listedBy(connection);
  for (let i = 0; i < raw.length; i += 2) {
    if (!isHopByHop(raw[i].toLowerCase(), listed)) headers.append(raw[i], raw[i + 1]);
  }
  const status = res.statusCode ?? 200;
  const init = { status, statusText: res.statusMessage, headers };
  if (method === "HEAD" || isNullBodyStatus(status)) {
    res.resume();
    res.once("end", close);
    return new Response(null, init);
  }
  return new Response(bodyOf(res, close, fail), init);
}

/**
 * The response body, a chunk at a time as the listener writes it, pausing Node's parser once `maxQueued` bytes
 * wait unread (as a request body does: a pause per chunk costs more than holding a few).
 */
function bodyOf(res: IncomingMessage, close: () => void, fail: (error: unknown) => void): ReadableStream<Uint8Array> {
  let ended = false;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        res.pause();
        let flowing = false;
        // A head with no body yet (flushHeaders, an event stream): an empty chunk makes the server send the head now.
        setImmediate(() => {
          if (!flowing && !ended) controller.enqueue(new Uint8Array(0));
        });
        res.on("data", (chunk: Buffer) => {
          flowing = true;
          controller.enqueue(chunk);
          if ((controller.desiredSize ?? 0) <= 0) res.pause();
        });
        res.once("end", () => {
          ended = true;
          controller.close();
          close();
        });
        res.once("close", () => {
          // Deno's client may emit close once the message is complete, before a paused reader saw its end.
          if (ended || res.complete) return;
          const error = new NodeListenerError("the Node listener's response was cut before its end");
          controller.error(error);
          fail(error);
        });
      },
      pull() {
        res.resume();
      },
      cancel() {
        ended = true;
        close();
      },
    },
    { highWaterMark: maxQueued, size: (chunk) => chunk.byteLength },
  );
}

// One request through toNodeListener, from Node's req and res to the application and back. Each request is
// one small object whose methods live on the prototype: closures made per request cost more than the work.
import { callApp, clientError, errorResponse, internalServerError } from "../src/server/call-app.ts";
import { declaresTooLarge } from "../src/server/body-limit.ts";
import { ServerContext } from "../src/server/context.ts";
import { FastRequest } from "../src/server/fast/request.ts";
import { FastResponse } from "../src/server/fast/response.ts";
import { abortRequest, type LazySignal, type SignalWatcher, watchSignal } from "../src/server/lazy-signal.ts";
import { newNativeRequest } from "../src/server/native-request.ts";
import type { PendingWork } from "../src/server/pending-work.ts";
import { forwardedAddress } from "../src/server/remote-address.ts";
import type { ErrorReporter, Handler } from "../src/types.ts";
import { discardBody, hasBody, pendingBody, requestHeaders, requestUrl, type NodeRequest } from "./node-request.ts";
import { cutResponse, endedWhole, responseClosed } from "./node-http2.ts";
import { answeredDirectly } from "./node-listener-direct.ts";
import { writeResponse, writeWire, type NodeResponse } from "./node-response.ts";
import { acceptUpgrade, upgradeWebSocketFor } from "./node-websocket.ts";

/** `ctx.platform` on Node: the request and response objects of node:http (or https, http2). */
export interface NodePlatform {
  req: NodeRequest;
  res: NodeResponse;
}

/** What a listener's requests are served with. */
export interface ExchangeSettings<E> {
  handler: Handler<E, NodePlatform>;
  env: E;
  onError: ErrorReporter;
  maxBodySize: number;
  trustProxy: boolean;
  work: PendingWork;
  /** fastGlobals: light Requests from the socket, light Responses written as they are. */
  fast: boolean;
}

/** What every request of one listener shares: the application, its options, and what is in flight. */
export class Exchanges<E> {
  readonly handler: Handler<E, NodePlatform>;
  readonly env: E;
  readonly onError: ErrorReporter;
  readonly maxBodySize: number;
  readonly trustProxy: boolean;
  readonly work: PendingWork;
  readonly fast: boolean;
  draining = false;
  #inFlight = 0;
  #idle: (() => void)[] = [];

  constructor(settings: ExchangeSettings<E>) {
    this.handler = settings.handler;
    this.env = settings.env;
    this.onError = settings.onError;
    this.maxBodySize = settings.maxBodySize;
    this.trustProxy = settings.trustProxy;
    this.work = settings.work;
    this.fast = settings.fast;
  }

  enter(): void {
    this.#inFlight++;
  }

  leave(): void {
    if (--this.#inFlight > 0 || this.#idle.length === 0) return;
    const waiting = this.#idle;
    this.#idle = [];
    for (const resolve of waiting) resolve();
  }

  /** Resolves when every request started and its `waitUntil` work are done. */
  settled(): Promise<void> {
    if (this.#inFlight === 0) return this.work.settled();
    return new Promise<void>((resolve) => this.#idle.push(resolve)).then(() => this.work.settled());
  }
}

const exchangeOf = Symbol("tsgi.exchange");
type Tagged = NodeResponse & { [exchangeOf]?: Exchange };

// request.signal fires when the client leaves before the whole response is sent, never after. One
// function for every response, `on` rather than `once`: Node emits close once, and `once` wraps each.
// A request with no body is watched only once its signal is made (Exchange.signalMade).
function onClose(this: Tagged): void {
  const exchange = this[exchangeOf];
  if (exchange === undefined) return;
  if (!endedWhole(this) && exchange.request !== undefined) abortRequest(exchange.request);
  discardBody(exchange.req);
}

// The response learns its exchange only when something listens for its close: most never need it.
function listenForClose(res: NodeResponse, exchange: Exchange): void {
  (res as Tagged)[exchangeOf] = exchange;
  res.on("close", onClose);
}

/** One request and its response. */
class Exchange implements SignalWatcher {
  readonly owner: Exchanges<unknown>;
  readonly req: NodeRequest;
  readonly res: NodeResponse;
  readonly method: string;
  // Whether finished() drops what is left of the body: node:http drops one nothing read when the response ends,
  // so only a body tsgi may have started reading, or any on HTTP/2, needs it.
  readonly dropsBody: boolean;
  request: Request | undefined = undefined;

  constructor(owner: Exchanges<unknown>, req: NodeRequest, res: NodeResponse, method: string, dropsBody: boolean) {
    this.owner = owner;
    this.req = req;
    this.res = res;
    this.method = method;
    this.dropsBody = dropsBody;
  }

  /** Counts the answer in flight and writes it: at once when synchronous, else when it settles. */
  send(response: Response | Promise<Response>): void {
    this.owner.enter();
    // callApp never rejects.
    if (response instanceof Promise) void response.then((answer) => this.write(answer));
    else this.write(response);
  }

  write(response: Response): void {
    const { req, res, method } = this;
    // fromNodeListener's direct mode: the listener answers on res itself; this Response only stands for it.
    const direct = answeredDirectly(res);
    if (direct !== undefined) {
      return void direct.then(
        () => this.finished(),
        (error: unknown) => this.failed(error),
      );
    }
    // A response that started before close() and ends after it must not keep its connection alive.
    if (this.owner.draining && !res.headersSent && "shouldKeepAlive" in res) res.shouldKeepAlive = false;
    if ((req as { upgrade?: boolean }).upgrade === true) {
      const upgraded = acceptUpgrade(req, res, response);
      // The socket belongs to the WebSocket now: a failed handshake is reported, never answered.
      if (upgraded !== undefined) {
        return void upgraded.then(
          () => this.finished(),
          (error: unknown) => {
            this.owner.onError(error, this.request);
            this.finished();
          },
        );
      }
    }
    const wire = this.owner.fast ? FastResponse.wire(response) : undefined;
    if (wire === undefined) {
      return void writeResponse(res, response, method).then(
        () => this.finished(),
        (error: unknown) => this.failed(error),
      );
    }
    try {
      writeWire(res, wire, method);
    } catch (error) {
      return this.failed(error);
    }
    this.finished();
  }

  /** The application made the request's signal: from now on it hears of the client leaving early. */
  signalMade(signal: LazySignal): void {
    const res = this.res;
    if (!responseClosed(res)) listenForClose(res, this);
    else if (!endedWhole(res)) signal.abort();
  }

  failed(error: unknown): void {
    const res = this.res;
    // The client left: what failed after it is the departure's doing (a body tied to request.signal, say).
    if (responseClosed(res) && !endedWhole(res)) return this.finished();
    this.owner.onError(error, this.request);
    if (res.headersSent) {
      cutResponse(res);
      return this.finished();
    }
    // Should even the fixed 500 be refused, the connection is cut rather than left unanswered.
    void writeResponse(res, internalServerError(), this.method).then(
      () => this.finished(),
      () => {
        res.destroy();
        this.finished();
      },
    );
  }

  finished(): void {
    if (this.dropsBody) discardBody(this.req);
    this.owner.leave();
  }
}

/**
 * Takes one request of `owner`'s listener: builds its Request (a light one under fastGlobals), calls the
 * application and writes what it answers.
 *
 * @example
 * server.on("request", (req, res) => exchange(exchanges, req, res));
 */
export function exchange<E>(owner: Exchanges<E>, req: NodeRequest, res: NodeResponse): void {
  const method = req.method ?? "GET";
  const withBody = method !== "GET" && method !== "HEAD" && hasBody(req);
  const current = new Exchange(owner as Exchanges<unknown>, req, res, method, withBody || "stream" in req);
  if (owner.draining && "shouldKeepAlive" in res) res.shouldKeepAlive = false;
  // A body still coming in is dropped when the client leaves; without one, only a made signal listens.
  if (withBody) listenForClose(res, current);
  const { maxBodySize } = owner;
  let request: Request;
  try {
    if (declaresTooLarge(req.headers["content-length"], maxBodySize)) {
      return current.send(clientError(413, "Payload Too Large"));
    }
    const body = withBody ? pendingBody(req, maxBodySize) : undefined;
    if (owner.fast) {
      const light = { url: requestUrl(req), method, headers: req.rawHeaders, body: body ?? null };
      request = FastRequest.light(light) as unknown as Request;
    } else {
      const headers = requestHeaders(req);
      // A GET leaves out what it does not need: undici checks every method it is given, even "GET".
      const init: RequestInit =
        method === "GET"
          ? { headers }
          : ({ method, headers, body: body?.stream() ?? null, duplex: "half" } as RequestInit);
      request = newNativeRequest(requestUrl(req), init, body);
    }
  } catch (error) {
    // A request that could not be read leaves the connection in doubt: answer, then close it.
    if ("shouldKeepAlive" in res) res.shouldKeepAlive = false;
    return current.send(errorResponse(error, undefined, owner.onError));
  }
  current.request = request;
  if (!withBody) watchSignal(request, current);
  const socketAddress = req.socket.remoteAddress;
  const remoteAddress = owner.trustProxy ? (forwardedAddress(request.headers) ?? socketAddress) : socketAddress;
  const ctx = new ServerContext<NodePlatform>("node", remoteAddress, { req, res }, owner.work, request);
  ctx.upgradeWebSocket = upgradeWebSocketFor(req);
  current.send(callApp(owner.handler, request, owner.env, ctx, owner.onError));
}

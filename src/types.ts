/**
 * The tsgi interface: what an application is, what it is given, and what a server returns.
 * SPEC.md states the rules these types carry; section numbers below point there.
 */

/** The runtimes an adapter serves on (SPEC.md §3.3). `"test"` is the in-process client of `tsgi/testing`. */
export type Runtime = "node" | "deno" | "bun" | "workerd" | "aws-lambda" | "test";

/**
 * What an application gets as its second argument (SPEC.md §3.2): the Worker's bindings on workerd,
 * elsewhere the process environment as strings, or `options.env` where the server was given one.
 */
export type Env = Record<string, unknown>;

/** The WebSocket events an application can listen for on an upgraded socket (SPEC.md §5). */
export interface WebSocketEventMap {
  open: Event;
  message: MessageEvent;
  close: CloseEvent;
  error: Event;
}

/**
 * A server-side WebSocket that behaves like the browser's (SPEC.md §5): the same members, whichever
 * runtime is underneath.
 */
export interface ServerWebSocket {
  readonly readyState: 0 | 1 | 2 | 3;
  readonly protocol: string;
  readonly url: string;
  /** Bytes queued but not yet sent, where the runtime tells; 0 where it does not. */
  readonly bufferedAmount: number;
  binaryType: "blob" | "arraybuffer";
  send(data: string | ArrayBuffer | ArrayBufferView | Blob): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
  addEventListener<K extends keyof WebSocketEventMap>(
    type: K,
    listener: (event: WebSocketEventMap[K]) => void,
    options?: boolean | AddEventListenerOptions,
  ): void;
  removeEventListener<K extends keyof WebSocketEventMap>(
    type: K,
    listener: (event: WebSocketEventMap[K]) => void,
    options?: boolean | EventListenerOptions,
  ): void;
}

/** Options of `ctx.upgradeWebSocket` (SPEC.md §5). */
export interface UpgradeWebSocketOptions {
  /** The subprotocol to accept, one of those the client offered in `Sec-WebSocket-Protocol`. */
  protocol?: string;
  /** Seconds without traffic before the server pings or closes, where the runtime supports it. */
  idleTimeout?: number;
}

/** What `ctx.upgradeWebSocket` gives: the socket to talk on and the response that completes the handshake. */
export interface WebSocketUpgrade {
  socket: ServerWebSocket;
  response: Response;
}

/**
 * The third argument of every call (SPEC.md §3.3). `P` is the runtime's raw objects in `platform`.
 */
export interface Context<P = unknown> {
  /** Which adapter is calling. */
  readonly runtime: Runtime;
  /** The client's IP address, `undefined` where unknown. Forwarding headers count only when trusted. */
  readonly remoteAddress: string | undefined;
  /** Keep work going after the response; failures are reported, never crash; shutdown waits for it. */
  waitUntil(promise: Promise<unknown>): void;
  /** On workerd, fall through to the origin if the application throws; harmless elsewhere. */
  passThroughOnException(): void;
  /** Upgrade to a WebSocket; present only where the runtime can serve WebSockets. */
  readonly upgradeWebSocket?: (request: Request, options?: UpgradeWebSocketOptions) => WebSocketUpgrade;
  /** Workers' `ctx.props` on workerd; an empty object elsewhere. */
  readonly props: Record<string, unknown>;
  /** The runtime's raw objects, as an escape hatch. */
  readonly platform: P;
}

/** An application as a function (SPEC.md §3.1). */
export type Handler<E = Env, P = unknown> = (request: Request, env: E, ctx: Context<P>) => Response | Promise<Response>;

/** An application as an object with `fetch`: Hono, itty-router, h3 apps and module workers are these. */
export interface FetchApp<E = Env> {
  fetch(request: Request, env: E, ctx: Context): Response | Promise<Response>;
}

/** Anything tsgi accepts as an application (SPEC.md §3.1). */
export type App<E = Env> = Handler<E> | FetchApp<E>;

/** An application that wraps an application (SPEC.md §6). */
export type Middleware<E = Env> = (next: Handler<E>) => Handler<E>;

/** Where and how an application's errors are reported. `request` is absent for errors outside a request. */
export type ErrorReporter = (error: unknown, request?: Request) => void;

/** What every `serve` takes (SPEC.md §4.1). Adapters add runtime-specific options of their own. */
export interface ServeOptions<E = Env> {
  /** TCP port; `0` picks a free one. Default 3000. */
  port?: number;
  /** Interface to listen on. Default `"127.0.0.1"`. */
  hostname?: string;
  /** The application's `env`; default the process environment. */
  env?: E;
  /** Largest request body in bytes before the request is answered 413. Default 100 MiB. */
  maxBodySize?: number;
  /** Trust `X-Forwarded-For` / `Forwarded` for `ctx.remoteAddress`. Default false. */
  trustProxy?: boolean;
  /** Called with every error an application throws, or a `waitUntil` promise rejects with. Default: logged. */
  onError?: ErrorReporter;
  /** Let several processes listen on the same port (SO_REUSEPORT; Linux), as `tsgi serve --workers` does. */
  reusePort?: boolean;
  /** Milliseconds `close()` waits for requests in flight and `waitUntil` work before it forces. Default 10 000. */
  gracefulTimeout?: number;
  /** Serve HTTPS with this certificate and key (node, deno, bun); node and deno offer HTTP/2 too (SPEC.md §4.1). */
  tls?: TlsOptions;
}

/**
 * A certificate and its private key, as PEM text (the file's contents, not its path).
 *
 * @example
 * serve(app, { tls: { cert: readFileSync("cert.pem", "utf8"), key: readFileSync("key.pem", "utf8") } });
 */
export interface TlsOptions {
  /** The certificate chain, the server's own certificate first. */
  cert: string;
  /** The private key. */
  key: string;
  /** The key's passphrase, where the key is encrypted (node and bun; Deno takes only a plain key). */
  passphrase?: string;
}

/** A running server, the same from every adapter (SPEC.md §4.1). */
export interface Server {
  /** Where it listens, like `http://127.0.0.1:3000/`. */
  readonly url: string;
  readonly port: number;
  readonly hostname: string;
  /** Stop accepting, let requests in flight and their `waitUntil` work finish, then resolve. */
  close(): Promise<void>;
}

// WebSockets on workerd: a WebSocketPair, whose server end is accepted at once and wrapped in a small
// browser-like socket written for workerd alone, and a 101 response carrying the client end. workerd's
// own socket has no open event, url or protocol; its EventTarget already calls the on… properties (before
// the listeners), so the wrapper only declares them. Kept small: every Worker bundle carries it.
import type { ServerWebSocket, UpgradeWebSocketOptions, WebSocketEventMap, WebSocketUpgrade } from "../src/types.ts";
import { isWebSocketRequest, WebSocketUpgradeError } from "../src/websocket.ts";

// The parts of the Workers runtime API used here (WebSockets docs), typed here so no Workers types leak.
interface WorkerEnd extends EventTarget {
  binaryType: "blob" | "arraybuffer";
  accept(): void;
  send(data: string | ArrayBuffer | ArrayBufferView): void;
  close(code?: number, reason?: string): void;
}
declare const WebSocketPair: new () => Record<0 | 1, WorkerEnd>;

// ServerWebSocket's listener types over EventTarget's own methods: declarations only, nothing in the bundle.
// biome-ignore lint/correctness/noUnusedVariables: merged into the class below, which is what uses it.
interface WorkerSocket {
  addEventListener<K extends keyof WebSocketEventMap>(
    type: K,
    listener: (event: WebSocketEventMap[K]) => void,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ): void;
  removeEventListener<K extends keyof WebSocketEventMap>(
    type: K,
    listener: (event: WebSocketEventMap[K]) => void,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | EventListenerOptions,
  ): void;
}

/** The server end as the browser's `WebSocket`: workerd's own underneath, its events dispatched anew from here. */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: see the interface above.
class WorkerSocket extends EventTarget implements ServerWebSocket {
  readonly bufferedAmount = 0;
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  readonly url: string;
  readonly protocol: string;
  readonly #end: WorkerEnd;
  #state: 0 | 1 | 2 | 3 = 0;
  // Set once a Blob is sent: its bytes are read asynchronously, so what is sent or closed after it waits.
  #queue?: Promise<unknown>;

  constructor(url: string, protocol: string, end: WorkerEnd) {
    super();
    this.url = url;
    this.protocol = protocol;
    this.#end = end;
    end.accept();
    // workerd's own binaryType, "blob" as in the browser whatever the Worker's compatibility date.
    end.binaryType = "blob";
    for (const type of ["message", "close", "error"]) {
      end.addEventListener(type, (event) => {
        if (type === "close") {
          this.#state = 3;
          const { code, reason } = event as CloseEvent;
          // Answer the peer's close frame (RFC 6455 §5.5.1); workerd throws if ours was already sent.
          try {
            end.close(code === 1005 || code === 1006 ? 1000 : code, reason);
          } catch {}
        }
        // The same kind of event (MessageEvent, CloseEvent, ErrorEvent) with the same fields, from this socket.
        this.dispatchEvent(new (event.constructor as typeof Event)(type, event));
      });
    }
    setTimeout(() => {
      if (this.#state) return;
      this.#state = 1;
      this.dispatchEvent(new Event("open"));
    });
  }

  get readyState(): 0 | 1 | 2 | 3 {
    return this.#state;
  }
  get binaryType(): "blob" | "arraybuffer" {
    return this.#end.binaryType;
  }
  set binaryType(type: "blob" | "arraybuffer") {
    this.#end.binaryType = type;
  }

  send(data: string | ArrayBuffer | ArrayBufferView | Blob): void {
    if (!this.#state) throw new DOMException("WebSocket is not open yet", "InvalidStateError");
    if (this.#state === 1)
      this.#inOrder(
        () => (data instanceof Blob ? data.arrayBuffer().then((bytes) => this.#end.send(bytes)) : this.#end.send(data)),
        data instanceof Blob,
      );
  }

  close(code?: number, reason?: string): void {
    // The browser's checks, with the codes src/websocket-socket.ts takes besides (workerd's own vary by compatibility date).
    if (code !== undefined && !/^(100[018]|1011|[34]\d{3})$/.test(`${code}`))
      throw new DOMException(`close code ${code} is not allowed`, "InvalidAccessError");
    if (new Blob([reason ?? ""]).size > 123) throw new DOMException("close reason is over 123 bytes", "SyntaxError");
    if (this.#state > 1) return;
    // workerd wants a code with a reason: 1000, as the browser sends. Before open, as in the browser, no open event follows.
    this.#state = 2;
    this.#inOrder(() => this.#end.close(code ?? 1000, reason));
  }

  /** Runs `step` now, or after what is queued (or `queue` asks for); a failure closes the socket with 1011. */
  #inOrder(step: () => unknown, queue?: boolean): void {
    if (!this.#queue && !queue) return void step();
    this.#queue = Promise.resolve(this.#queue)
      .then(() => this.#state < 3 && step())
      .catch(() => this.#end.close(1011));
  }
}

/**
 * `ctx.upgradeWebSocket` on workerd: accepts the server end at once, so the socket can be used before
 * the application returns `response`; `open` fires on a later turn.
 *
 * @example
 * const { socket, response } = upgradeWebSocket(request);
 * socket.onmessage = (event) => socket.send(event.data);
 * return response;
 */
export function upgradeWebSocket(request: Request, options?: UpgradeWebSocketOptions): WebSocketUpgrade {
  const protocol = options?.protocol || "";
  // checkUpgrade's checks (src/server/websocket-upgrade.ts), its messages shorter: every Worker carries them.
  const wrong = !isWebSocketRequest(request)
    ? "not a WebSocket upgrade request"
    : protocol &&
      !request.headers
        .get("sec-websocket-protocol")
        ?.split(",")
        .some((offered) => offered.trim() === protocol) &&
      `the client did not offer "${protocol}"`;
  if (wrong) throw new WebSocketUpgradeError(`ctx.upgradeWebSocket: ${wrong}`);
  const pair = new WebSocketPair();
  const init = { status: 101, webSocket: pair[0], headers: protocol ? { "sec-websocket-protocol": protocol } : {} };
  return {
    socket: new WorkerSocket(request.url.replace(/^http/, "ws"), protocol, pair[1]),
    response: new Response(null, init as ResponseInit),
  };
}

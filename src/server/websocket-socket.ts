// A server-side WebSocket with the browser's API over whatever socket the runtime gives: the adapters
// feed it what happens on the wire, the application sees the WHATWG WebSocket interface.
import type { ServerWebSocket, WebSocketEventMap } from "../types.ts";

/** The runtime's own socket, as the browser-like wrapper drives it. */
export interface SocketDriver {
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
  /** Bytes queued but not yet sent, where the runtime tells. */
  bufferedAmount?(): number;
}

/** The adapter's side of a `BrowserSocket`: it reports what happens on the wire. */
export interface SocketFeed {
  open(driver: SocketDriver, protocol: string): void;
  message(data: string | ArrayBuffer | Uint8Array): void;
  close(code: number, reason: string, wasClean?: boolean): void;
  error(cause?: unknown): void;
}

// Node 22 has no global CloseEvent (it came in Node 23); this one has the same members.
class FallbackCloseEvent extends Event {
  readonly code: number;
  readonly reason: string;
  readonly wasClean: boolean;
  constructor(type: string, init: CloseEventInit = {}) {
    super(type, init);
    this.code = init.code ?? 0;
    this.reason = init.reason ?? "";
    this.wasClean = init.wasClean ?? false;
  }
}
const CloseEventClass: typeof CloseEvent = globalThis.CloseEvent ?? FallbackCloseEvent;

type Listener = ((event: never) => void) | null;
const encoder = new TextEncoder();
// Set by BrowserSocket's static block, which alone can reach its private fields.
let feedFor: (socket: BrowserSocket) => SocketFeed;

/**
 * A server-side WebSocket with the browser's API (WHATWG WebSockets standard), over whatever the
 * runtime gives; `feedOf(socket)` is the adapter's handle to report wire events into it.
 *
 * @example
 * const socket = new BrowserSocket("ws://localhost/chat");
 * socket.onmessage = (event) => socket.send(event.data);
 */
export class BrowserSocket extends EventTarget implements ServerWebSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  readonly url: string;
  binaryType: "blob" | "arraybuffer" = "blob";
  #state: 0 | 1 | 2 | 3 = 0;
  #protocol = "";
  #driver: SocketDriver | undefined;
  #closeWanted: [number | undefined, string | undefined] | undefined;
  // Blob sends read asynchronously; later sends wait behind them so the order on the wire is kept.
  #queue: Promise<void> | undefined;
  #handlers: Record<string, Listener> = { open: null, message: null, close: null, error: null };

  constructor(url: string) {
    super();
    this.url = url;
  }

  get readyState(): 0 | 1 | 2 | 3 {
    return this.#state;
  }
  get protocol(): string {
    return this.#protocol;
  }
  get extensions(): string {
    return "";
  }
  get bufferedAmount(): number {
    return this.#driver?.bufferedAmount?.() ?? 0;
  }

  get onopen(): ((event: Event) => void) | null {
    return this.#handlers.open as ((event: Event) => void) | null;
  }
  set onopen(handler: ((event: Event) => void) | null) {
    this.#setHandler("open", handler);
  }
  get onmessage(): ((event: MessageEvent) => void) | null {
    return this.#handlers.message as ((event: MessageEvent) => void) | null;
  }
  set onmessage(handler: ((event: MessageEvent) => void) | null) {
    this.#setHandler("message", handler);
  }
  get onclose(): ((event: CloseEvent) => void) | null {
    return this.#handlers.close as ((event: CloseEvent) => void) | null;
  }
  set onclose(handler: ((event: CloseEvent) => void) | null) {
    this.#setHandler("close", handler);
  }
  get onerror(): ((event: Event) => void) | null {
    return this.#handlers.error as ((event: Event) => void) | null;
  }
  set onerror(handler: ((event: Event) => void) | null) {
    this.#setHandler("error", handler);
  }

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
  addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null | ((event: never) => void),
    options?: boolean | AddEventListenerOptions,
  ): void {
    super.addEventListener(type, listener as EventListenerOrEventListenerObject | null, options);
  }

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
  removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null | ((event: never) => void),
    options?: boolean | EventListenerOptions,
  ): void {
    super.removeEventListener(type, listener as EventListenerOrEventListenerObject | null, options);
  }

  #setHandler(type: string, handler: Listener): void {
    // Like the browser's event handler attributes: one listener, added on first use, calling the current handler.
    if (this.#handlers[type] === null && handler !== null) {
      this.addEventListener(type, (event) =>
        (this.#handlers[type] as ((event: Event) => void) | null)?.call(this, event),
      );
    }
    this.#handlers[type] = typeof handler === "function" ? handler : null;
  }

  send(data: string | ArrayBuffer | ArrayBufferView | Blob): void {
    if (this.#state === 0)
      throw new DOMException("WebSocket is not open yet: wait for the open event", "InvalidStateError");
    if (this.#state !== 1) return;
    const driver = this.#driver;
    if (driver === undefined) return;
    if (this.#queue === undefined && !(data instanceof Blob)) return driver.send(toWire(data));
    const previous = this.#queue ?? Promise.resolve();
    const next = previous
      .then(() => (data instanceof Blob ? data.arrayBuffer() : data))
      .then((ready) => {
        if (this.#state === 1) driver.send(toWire(ready));
      })
      .catch((cause: unknown) => this.#fail(cause))
      .finally(() => {
        if (this.#queue === next) this.#queue = undefined;
      });
    this.#queue = next;
  }

  close(code?: number, reason?: string): void {
    if (code !== undefined && !(code === 1000 || (code >= 3000 && code <= 4999) || [1001, 1008, 1011].includes(code))) {
      throw new DOMException(`close code ${code} is not 1000, 1001, 1008, 1011 or 3000-4999`, "InvalidAccessError");
    }
    if (reason !== undefined && encoder.encode(reason).byteLength > 123)
      throw new DOMException("close reason is longer than 123 bytes", "SyntaxError");
    if (this.#state >= 2) return;
    if (this.#state === 0) {
      this.#closeWanted = [code, reason];
      return;
    }
    this.#state = 2;
    this.#driver?.close(code, reason);
  }

  #fail(cause: unknown): void {
    this.dispatchEvent(Object.assign(new Event("error"), { error: cause }));
    this.#driver?.close(1011, "");
  }

  static {
    feedFor = (socket) => ({
      open(driver, protocol) {
        if (socket.#state !== 0) return;
        socket.#driver = driver;
        socket.#protocol = protocol;
        socket.#state = 1;
        socket.dispatchEvent(new Event("open"));
        const wanted = socket.#closeWanted;
        if (wanted) socket.close(wanted[0], wanted[1]);
      },
      message(data) {
        if (socket.#state === 3) return;
        if (typeof data !== "string") {
          // A copy: the runtime may reuse the memory behind a view (Node's Buffer pool).
          data = ArrayBuffer.isView(data)
            ? (data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer)
            : data;
        }
        const payload = typeof data === "string" || socket.binaryType === "arraybuffer" ? data : new Blob([data]);
        socket.dispatchEvent(new MessageEvent("message", { data: payload, origin: new URL(socket.url).origin }));
      },
      close(code, reason, wasClean = true) {
        if (socket.#state === 3) return;
        socket.#state = 3;
        socket.dispatchEvent(new CloseEventClass("close", { code, reason, wasClean }));
      },
      error(cause) {
        if (socket.#state === 3) return;
        socket.dispatchEvent(Object.assign(new Event("error"), { error: cause }));
      },
    });
  }
}

/**
 * The adapter's handle on a `BrowserSocket`: report open, messages, close and errors into it.
 *
 * @example
 * const feed = feedOf(socket);
 * feed.open({ send: (data) => raw.send(data), close: (code, reason) => raw.close(code, reason) }, "");
 */
export function feedOf(socket: BrowserSocket): SocketFeed {
  return feedFor(socket);
}

function toWire(data: string | ArrayBuffer | ArrayBufferView): string | Uint8Array {
  if (typeof data === "string") return data;
  // isView, not instanceof ArrayBuffer: an ArrayBuffer from another realm (workerd's events) is still one.
  return ArrayBuffer.isView(data)
    ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    : new Uint8Array(data);
}

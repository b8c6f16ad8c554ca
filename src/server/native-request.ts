import type { PendingBody } from "./fast/body.ts";
import { owned } from "./fast/body.ts";
import { natives } from "./fast/natives.ts";
import { type LazySignal, lazySignal, type SignalHolder, signalOf } from "./lazy-signal.ts";

/** What the adapters give a Request from: what `new Request(url, init)` takes, and the server's unread body. */
export type NewRequest = (url: string, init: RequestInit, pending?: PendingBody) => Request;

// Made on first use, not at import: extending Request makes Node build its fetch classes, which a
// cold start in fastGlobals mode never needs.
let made: NewRequest | undefined;

const decoder = new TextDecoder();
const unread: unique symbol = Symbol("tsgi.unread");

function make(): NewRequest {
  class NativeRequest extends natives().Request implements SignalHolder {
    [lazySignal]?: LazySignal;
    [unread]?: PendingBody;

    override get signal(): AbortSignal {
      return signalOf(this).signal;
    }

    // undici's clone() would follow only the internal signal; a clone reads its body through the stream.
    override clone(): Request {
      this[unread] = undefined;
      return new (natives().Request)(super.clone(), { signal: this.signal });
    }

    override bytes(): Promise<Uint8Array<ArrayBuffer>> {
      const bytes = readAtOnce(this);
      return bytes === undefined ? super.bytes() : bytes.then((all) => owned(all) as Uint8Array<ArrayBuffer>);
    }

    override arrayBuffer(): Promise<ArrayBuffer> {
      const bytes = readAtOnce(this);
      return bytes === undefined ? super.arrayBuffer() : bytes.then((all) => owned(all).buffer as ArrayBuffer);
    }

    override text(): Promise<string> {
      const bytes = readAtOnce(this);
      return bytes === undefined ? super.text() : bytes.then((all) => decoder.decode(all));
    }

    override json(): Promise<unknown> {
      const bytes = readAtOnce(this);
      return bytes === undefined ? super.json() : bytes.then((all) => JSON.parse(decoder.decode(all)));
    }
  }

  // A body method on a body nobody touched reads the socket at once, with no stream between: the stream
  // is then cancelled through a reader it keeps, so the request is used and locked as the standard has it.
  function readAtOnce(request: NativeRequest): Promise<Uint8Array> | undefined {
    const pending = request[unread];
    if (pending === undefined) return undefined;
    request[unread] = undefined;
    const body = request.body;
    if (body === null || body.locked || request.bodyUsed) return undefined;
    const bytes = pending.bytes();
    body
      .getReader()
      .cancel()
      .catch(() => {});
    return bytes;
  }

  return (url, init, pending) => {
    const request = new NativeRequest(url, init);
    if (pending !== undefined) request[unread] = pending;
    return request;
  };
}

/**
 * The runtime's own Request, with a `signal` made on first read (see lazy-signal.ts), and, given the
 * server's `pending` body (whose stream is `init.body`), `text()`, `json()`, `arrayBuffer()` and `bytes()`
 * that read it at once while nothing else touched it. `clone()` follows this signal; `new Request(request)`
 * follows the internal one, which never fires, so code that forwards the request and wants the abort
 * passes `signal: request.signal`.
 *
 * @example
 * const pending = pendingBody(req, limit);
 * const request = newNativeRequest(url, { method, headers, body: pending.stream(), duplex: "half" }, pending);
 */
export function newNativeRequest(url: string, init: RequestInit, pending?: PendingBody): Request {
  made ??= make();
  return made(url, init, pending);
}

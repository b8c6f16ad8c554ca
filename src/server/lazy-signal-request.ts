import { natives } from "./fast/natives.ts";
import { type LazySignal, lazySignal, type SignalHolder, signalOf } from "./lazy-signal.ts";

/** What the adapters give a Request from: what `new Request(url, init)` takes. */
export type NewRequest = (url: string, init: RequestInit) => Request;

// Made on first use, not at import: extending Request makes Node build its fetch classes, which a
// cold start in fastGlobals mode never needs.
let made: NewRequest | undefined;

function make(): NewRequest {
  class LazySignalRequest extends natives().Request implements SignalHolder {
    [lazySignal]?: LazySignal;

    override get signal(): AbortSignal {
      return signalOf(this).signal;
    }

    // undici's clone() would follow only the internal signal.
    override clone(): Request {
      return new (natives().Request)(super.clone(), { signal: this.signal });
    }
  }
  return (url, init) => new LazySignalRequest(url, init);
}

/**
 * The runtime's own Request, with a `signal` made on first read (see lazy-signal.ts). `clone()` follows
 * this signal; `new Request(request)` follows the internal one, which never fires, so code that forwards
 * the request and wants the abort passes `signal: request.signal`.
 *
 * @example
 * const request = newSignalRequest(url, init);
 * res.once("close", () => abortRequest(request));
 */
export function newSignalRequest(url: string, init: RequestInit): Request {
  made ??= make();
  return made(url, init);
}

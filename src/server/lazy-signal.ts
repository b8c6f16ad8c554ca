// A request's `signal`, made on first read: a signal handed to undici at construction costs more than the
// rest of the Request (a WeakRef, a listener and a FinalizationRegistry entry each), and most applications
// never read it. The adapters' Request classes (the default one and fastGlobals' one) keep it under one key.

/** Where a request keeps its lazy signal, once anything asked for it. */
export const lazySignal: unique symbol = Symbol("tsgi.lazySignal");

/** Where a request keeps who wants to hear when its signal is made (see SignalWatcher). */
export const signalWatcher: unique symbol = Symbol("tsgi.signalWatcher");

/**
 * Told when a request's signal is made: an adapter that watches for the client leaving only once the
 * signal exists spares the listener on every request that never reads it.
 */
export interface SignalWatcher {
  signalMade(signal: LazySignal): void;
}

/** A request that keeps a lazy signal. */
export interface SignalHolder {
  [lazySignal]?: LazySignal;
  [signalWatcher]?: SignalWatcher;
}

/**
 * An AbortController made when first needed, with a deadline whose timer starts only then.
 *
 * @example
 * const lazy = new LazySignal();
 * lazy.abortAt(Date.now() + 3000, "the invocation ran out of time");
 * lazy.signal; // the controller and the timer are made now
 */
export class LazySignal {
  #controller: AbortController | undefined;
  #deadline: { at: number; why: string } | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  get signal(): AbortSignal {
    return this.#open().signal;
  }

  #open(): AbortController {
    if (this.#controller !== undefined) return this.#controller;
    const controller = new AbortController();
    this.#controller = controller;
    const deadline = this.#deadline;
    if (deadline !== undefined) {
      const fire = () => controller.abort(new DOMException(deadline.why, "TimeoutError"));
      this.#timer = setTimeout(fire, Math.max(0, deadline.at - Date.now()));
    }
    return controller;
  }

  abort(reason?: unknown): void {
    const controller = this.#open();
    if (!controller.signal.aborted) controller.abort(reason);
  }

  abortAt(at: number, why: string): void {
    this.#deadline = { at, why };
  }

  release(): void {
    clearTimeout(this.#timer);
  }
}

/** The request's lazy signal, made now if it has none. */
export function signalOf(request: SignalHolder): LazySignal {
  let lazy = request[lazySignal];
  if (lazy !== undefined) return lazy;
  lazy = new LazySignal();
  request[lazySignal] = lazy;
  request[signalWatcher]?.signalMade(lazy);
  return lazy;
}

/**
 * Tells `watcher` when the request's signal is made, rather than watching the client from the start.
 *
 * @example
 * watchSignal(request, exchange); // exchange.signalMade(signal) listens for the client from then on
 */
export function watchSignal(request: Request, watcher: SignalWatcher): void {
  (request as SignalHolder)[signalWatcher] = watcher;
}

/**
 * The client left before the response was complete: fire the request's signal, now or when it is first read.
 *
 * @example
 * res.once("close", () => abortRequest(request));
 */
export function abortRequest(request: Request, reason?: unknown): void {
  signalOf(request as SignalHolder).abort(reason);
}

/**
 * Fire the signal with a TimeoutError at `at` (ms since the epoch); the timer starts only once it is read.
 *
 * @example
 * abortRequestAt(request, Date.now() + context.getRemainingTimeInMillis() - 50, "the invocation ran out of time");
 */
export function abortRequestAt(request: Request, at: number, why: string): void {
  signalOf(request as SignalHolder).abortAt(at, why);
}

/**
 * The response is done: the deadline's timer, if one runs, no longer holds the process.
 *
 * @example
 * releaseRequest(request);
 */
export function releaseRequest(request: Request): void {
  (request as SignalHolder)[lazySignal]?.release();
}

/**
 * The runtime's own Request, with a `signal` made on first read. A signal handed to undici at construction
 * costs more than the rest of the Request (a WeakRef, a listener and a FinalizationRegistry entry each),
 * and most applications never read it. `clone()` follows this signal; `new Request(request)` follows the
 * internal one, which never fires, so code that forwards the request and wants the abort passes
 * `signal: request.signal`.
 *
 * @example
 * const request = new LazySignalRequest(url, init);
 * LazySignalRequest.abortAt(request, Date.now() + 3000, "the invocation ran out of time");
 * res.once("close", () => LazySignalRequest.abort(request));
 */
export class LazySignalRequest extends Request {
  #controller: AbortController | undefined;
  #deadline: { at: number; why: string } | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  override get signal(): AbortSignal {
    return this.#open().signal;
  }

  // undici's clone() would follow only the internal signal.
  override clone(): Request {
    return new Request(super.clone(), { signal: this.signal });
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

  /** The client left before the response was complete: fire the signal, now or when it is first read. */
  static abort(request: LazySignalRequest, reason?: unknown): void {
    const controller = request.#open();
    if (!controller.signal.aborted) controller.abort(reason);
  }

  /** Fire the signal with a TimeoutError at `at` (ms since the epoch); the timer starts only once it is read. */
  static abortAt(request: LazySignalRequest, at: number, why: string): void {
    request.#deadline = { at, why };
  }

  /** The response is done: the deadline's timer, if one runs, no longer holds the process. */
  static release(request: LazySignalRequest): void {
    clearTimeout(request.#timer);
  }
}

import type { PendingWork } from "./pending-work.ts";
import type { Context, Runtime, UpgradeWebSocketOptions, WebSocketUpgrade } from "../types.ts";

const noProps: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

/**
 * The `ctx` the server-side adapters give (SPEC.md §3.3): one small object per request whose methods
 * live on the prototype, so building it costs next to nothing.
 */
export class ServerContext<P> implements Context<P> {
  readonly runtime: Runtime;
  readonly platform: P;
  readonly props: Record<string, unknown> = noProps;
  upgradeWebSocket?: (request: Request, options?: UpgradeWebSocketOptions) => WebSocketUpgrade;
  readonly #work: PendingWork;
  /** The request this context belongs to, for an adapter's own context. */
  protected readonly request: Request | undefined;
  #remoteAddress: string | undefined | (() => string | undefined);

  /** `remoteAddress` may be a function where asking the runtime costs (Bun's requestIP): it runs on first read only. */
  constructor(
    runtime: Runtime,
    remoteAddress: string | undefined | (() => string | undefined),
    platform: P,
    work: PendingWork,
    request?: Request,
  ) {
    this.runtime = runtime;
    this.#remoteAddress = remoteAddress;
    this.platform = platform;
    this.#work = work;
    this.request = request;
  }

  get remoteAddress(): string | undefined {
    const address = this.#remoteAddress;
    if (typeof address !== "function") return address;
    this.#remoteAddress = address();
    return this.#remoteAddress;
  }

  waitUntil(promise: Promise<unknown>): void {
    this.#work.add(promise, this.request);
  }

  passThroughOnException(): void {}
}

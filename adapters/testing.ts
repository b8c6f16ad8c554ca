import { toHandler } from "../src/app.ts";
import { callApp } from "../src/server/call-app.ts";
import { PendingWork } from "../src/server/pending-work.ts";
import type { App, Context, Env } from "../src/types.ts";

/** The `ctx` of the test client: it records what the application asked of it. */
export interface TestContext extends Context<{ calls: TestCall[] }> {
  /** The promises handed to `waitUntil`, in order. */
  readonly waitUntilPromises: Promise<unknown>[];
  /** True once the application called `passThroughOnException`. */
  readonly passedThroughOnException: boolean;
  /** Resolves when every `waitUntil` promise has settled; rejections were reported to `errors`. */
  settled(): Promise<void>;
}

/** One call of the test client, kept in `ctx.platform.calls`. */
export interface TestCall {
  request: Request;
}

/** Options of the test client. */
export interface TestClientOptions<E = Env> {
  env?: E;
  remoteAddress?: string;
  /** Base for relative URLs. Default `http://localhost/`. */
  base?: string;
}

/** What a test client call gives: the Response, the context it ran with, and what was reported. */
export interface TestResult extends Response {
  readonly ctx: TestContext;
  /** Errors the application threw or its `waitUntil` work rejected with. */
  readonly errors: unknown[];
}

/**
 * An in-process client (SPEC.md §4.7): calls the application as a server would (errors become a 500 and are
 * recorded) and returns its Response with the `ctx` it ran with.
 *
 * @example
 * const client = createTestClient(app);
 * const response = await client.fetch("/hello");
 * expect(await response.text()).toBe("hello");
 * await response.ctx.settled();
 */
export function createTestClient<E = Env>(
  app: App<E>,
  options: TestClientOptions<E> = {},
): {
  fetch(input: string | URL | Request, init?: RequestInit): Promise<TestResult>;
} {
  const handler = toHandler(app);
  const base = options.base ?? "http://localhost/";
  return {
    async fetch(input, init) {
      const request =
        input instanceof Request && init === undefined
          ? input
          : new Request(new URL(String(input instanceof Request ? input.url : input), base), init);
      const errors: unknown[] = [];
      const work = new PendingWork((error) => errors.push(error));
      const waitUntilPromises: Promise<unknown>[] = [];
      let passedThroughOnException = false;
      const ctx: TestContext = {
        runtime: "test",
        remoteAddress: options.remoteAddress ?? "127.0.0.1",
        props: {},
        platform: { calls: [{ request }] },
        waitUntil(promise) {
          waitUntilPromises.push(promise);
          work.add(promise, request);
        },
        passThroughOnException() {
          passedThroughOnException = true;
        },
        get passedThroughOnException() {
          return passedThroughOnException;
        },
        waitUntilPromises,
        settled: () => work.settled(),
      };
      const response = await callApp(handler, request, options.env ?? ({} as E), ctx, (error) => errors.push(error));
      return Object.assign(response, { ctx, errors });
    },
  };
}

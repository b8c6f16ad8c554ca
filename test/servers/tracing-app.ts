// The tracing test's application: it subscribes to `tsgi.request` on request, as an OpenTelemetry
// instrumentation does (handlers for the five events, a store bound to `start` for the active span), and
// reports what the channel published. node:diagnostics_channel is imported on demand: workerd has none.
import type { AsyncLocalStorage } from "node:async_hooks";

interface Trace {
  request: Request;
  response?: Response;
  error?: unknown;
}

/** One published event, as the test reads it back. */
export interface SeenEvent {
  event: string;
  path: string;
  status: number | null;
  error: string | null;
}

const seen: SeenEvent[] = [];
let spans: AsyncLocalStorage<{ name: string }> | undefined;

async function subscribe(): Promise<void> {
  if (spans) return;
  const [{ tracingChannel }, { AsyncLocalStorage }] = await Promise.all([
    import("node:diagnostics_channel"),
    import("node:async_hooks"),
  ]);
  spans = new AsyncLocalStorage<{ name: string }>();
  const channel = tracingChannel<{ name: string }, Trace>("tsgi.request");
  channel.start.bindStore(spans, (trace) => ({ name: `span of ${new URL(trace.request.url).pathname}` }));
  const record = (event: string) => (trace: Trace) => {
    seen.push({
      event,
      path: new URL(trace.request.url).pathname,
      status: trace.response?.status ?? null,
      error: trace.error instanceof Error ? trace.error.message : null,
    });
  };
  channel.subscribe({
    start: record("start"),
    end: record("end"),
    asyncStart: record("asyncStart"),
    asyncEnd: record("asyncEnd"),
    error: record("error"),
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function tracingApp(request: Request): Response | Promise<Response> {
  switch (new URL(request.url).pathname) {
    case "/subscribe":
      return subscribe().then(() => new Response("subscribed"));
    case "/events":
      return Response.json(seen.splice(0));
    case "/sync":
      return new Response("sync", { status: 202 });
    case "/span":
      // The store bound to `start` is active for the whole request, across awaits.
      return sleep(10).then(() => new Response(spans?.getStore()?.name ?? "no span", { status: 201 }));
    case "/throw":
      throw new Error("traced failure");
    case "/reject":
      return sleep(1).then(() => Promise.reject(new Error("traced rejection")));
    default:
      return new Response("not found", { status: 404 });
  }
}

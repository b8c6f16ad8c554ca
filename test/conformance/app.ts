// The conformance application: one route per behaviour of CONTRACT.md §5, written against web APIs only,
// so the same file runs under every adapter. State that a test reads back lives in this server process.
import type { Context, Env } from "../../src/types.ts";

const waitUntilDone = new Set<string>();
const lateHeaders = new Map<string, string>();
const aborted = new Map<string, boolean>();
const pulled = new Map<string, number>();
// Requests whose signal is read only when /release says so.
const held = new Map<string, () => void>();
const readFailed = new Set<string>();
const opened = new Set<string>();
const counted = new Map<string, { bytes: number; failed: boolean }>();
// Responses kept after they were sent, whose headers /kept-headers reports.
const kept = new Map<string, Response>();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const bytes = (n: number, fill = 120) => new Uint8Array(n).fill(fill);

export function conformanceApp(request: Request, env: Env, ctx: Context): Response | Promise<Response> {
  const url = new URL(request.url);
  const query = url.searchParams;
  if (url.pathname.startsWith("/url/"))
    return Response.json({ url: request.url, pathname: url.pathname, search: url.search });
  switch (url.pathname) {
    case "/hello":
      return new Response("hello");
    case "/json":
      return Response.json({ ok: true, runtime: ctx.runtime });
    case "/echo":
      return echo(request);
    case "/body-state":
      return bodyState(request, query.get("read") ?? "text", query.has("clone"));
    case "/echo-stream":
      // Streams the body back as it arrives: request and response bodies at once.
      return new Response(request.body, { headers: { "content-type": "application/octet-stream" } });
    case "/count":
      return count(request, query.get("id") ?? "");
    case "/counted":
      return Response.json(counted.get(query.get("id") ?? "") ?? null);
    case "/ignore-body":
      return new Response("ignored");
    case "/status":
      return new Response(query.has("body") ? "body" : null, {
        status: Number(query.get("code")),
        statusText: query.get("text") ?? "",
      });
    case "/headers": {
      const headers = new Headers({ "content-type": "text/plain", "x-custom": "a, b", "x-empty": "" });
      for (const cookie of ["a=1; Path=/", "b=2; HttpOnly", "c=3; Expires=Wed, 21 Oct 2026 07:28:00 GMT"])
        headers.append("set-cookie", cookie);
      headers.append("x-multi", "one");
      headers.append("x-multi", "two");
      return new Response("headers", { headers });
    }
    case "/request-headers":
      return Response.json([...request.headers]);
    case "/binary":
      return new Response(
        Uint8Array.from({ length: 256 }, (_, i) => i),
        { headers: { "content-type": "application/octet-stream" } },
      );
    case "/stream":
      return stream(
        query.get("id") ?? "",
        Number(query.get("chunks") ?? 5),
        Number(query.get("size") ?? 1024),
        Number(query.get("delay") ?? 0),
      );
    case "/keep": {
      // A header value the Fetch standard takes and HTTP may not (a control character, given as ?value=a%01b).
      const response = new Response("kept", { headers: { "x-kept": query.get("value") ?? "1" } });
      kept.set(query.get("id") ?? "", response);
      return response;
    }
    case "/kept-headers":
      return Response.json([...(kept.get(query.get("id") ?? "")?.headers ?? [])]);
    case "/pulled":
      return Response.json(pulled.get(query.get("id") ?? "") ?? null);
    case "/throw":
      throw new Error("secret internals /etc/passwd");
    case "/report":
      // A reported error that names itself, for tests that wait until the reports before it are in.
      throw new Error(`marker ${query.get("id")}`);
    case "/reject":
      return Promise.reject(new Error("secret rejection"));
    case "/not-response":
      return { status: 200 } as unknown as Response;
    case "/response-error":
      return Response.error();
    case "/stream-error": {
      // Fails after the head and some body are on the wire.
      let sent = 0;
      return new Response(
        new ReadableStream({
          async pull(controller) {
            if (sent++ < 3) return controller.enqueue(bytes(1024));
            await sleep(20);
            controller.error(new Error("broken stream"));
          },
        }),
      );
    }
    case "/ctx":
      return Response.json({
        runtime: ctx.runtime,
        remoteAddress: ctx.remoteAddress ?? null,
        waitUntil: typeof ctx.waitUntil,
        passThroughOnException: typeof ctx.passThroughOnException,
        platform: Object.keys(ctx.platform ?? {}).sort(),
        instanceofRequest: request instanceof Request,
        cloned: new Request(request).url === request.url && request.clone().url === request.url,
        env: typeof env,
      });
    case "/wait-until": {
      const id = query.get("id") ?? "";
      ctx.waitUntil(
        sleep(Number(query.get("delay") ?? 100)).then(() => {
          waitUntilDone.add(id);
          console.error(`waitUntil done: ${id}`);
        }),
      );
      if (query.has("fail")) ctx.waitUntil(Promise.reject(new Error("waitUntil failure")));
      return new Response("accepted");
    }
    case "/late-headers": {
      // Reads the request's headers only once the response is out, as logging in waitUntil work would.
      const id = query.get("id") ?? "";
      ctx.waitUntil(sleep(50).then(() => lateHeaders.set(id, request.headers.get("x-late") ?? "")));
      return new Response("accepted");
    }
    case "/late-seen":
      return Response.json(lateHeaders.get(query.get("id") ?? "") ?? null);
    case "/wait-until-done":
      return Response.json(waitUntilDone.has(query.get("id") ?? ""));
    case "/hang": {
      // Never answers until the client leaves; records whether request.signal fired.
      const id = query.get("id") ?? "";
      aborted.set(id, false);
      return new Promise((resolve) => {
        request.signal.addEventListener("abort", () => {
          aborted.set(id, true);
          resolve(new Response("gone"));
        });
      });
    }
    case "/finish": {
      const id = query.get("id") ?? "";
      aborted.set(id, false);
      request.signal.addEventListener("abort", () => aborted.set(id, true));
      return new Response("finished");
    }
    case "/signal-later": {
      // Reads request.signal for the first time only when released: after the client left, in the test.
      const id = query.get("id") ?? "";
      return new Promise((resolve) => {
        held.set(id, () => {
          aborted.set(id, request.signal.aborted);
          resolve(new Response("read"));
        });
      });
    }
    case "/finish-signal-later": {
      // Answers at once, then reads request.signal for the first time, in waitUntil work after the response.
      const id = query.get("id") ?? "";
      ctx.waitUntil(sleep(100).then(() => void aborted.set(id, request.signal.aborted)));
      return new Response("finished");
    }
    case "/held":
      return Response.json(held.has(query.get("id") ?? ""));
    case "/release": {
      const id = query.get("id") ?? "";
      const release = held.get(id);
      held.delete(id);
      release?.();
      return Response.json(release !== undefined);
    }
    case "/memory":
      return Response.json(heapAfterGc());
    case "/read-failed":
      return Response.json(readFailed.has(query.get("id") ?? ""));
    case "/aborted":
      return Response.json(aborted.get(query.get("id") ?? "") ?? null);
    case "/sse":
      return sse(query.get("id") ?? "");
    case "/fails-on-leave":
      return sse(query.get("id") ?? "", request);
    case "/upload-abort":
      return uploadAbort(request, query.get("id") ?? "");
    case "/used-body": {
      const used = new Response("already read");
      return used.text().then(() => used);
    }
    case "/crlf-header":
      return new Response("split?", { headers: { "x-split": "a\r\nInjected: yes" } });
    case "/bad-head":
      return badHead(query.get("what") ?? "");
    case "/gated":
      return gated(query.get("id") ?? "");
    case "/rewrapped":
      return rewrapped(query.has("later"));
    case "/open-gate":
      opened.add(query.get("id") ?? "");
      return new Response("opened");
    case "/proxy":
      // The upstream's Response as it is, hop-by-hop headers and all.
      return fetch(query.get("to") ?? "");
    case "/hop":
      return hopByHop(query.get("how") ?? "");
    default:
      return new Response("not found", { status: 404 });
  }
}

// Responses the application built with hop-by-hop fields: at construction, added later, a pair, alone, on Response.json, async.
function hopByHop(how: string): Response | Promise<Response> {
  const hops = {
    connection: "keep-alive, x-hop",
    "keep-alive": "timeout=5",
    "x-hop": "secret",
    "proxy-connection": "keep-alive",
    te: "trailers",
    trailer: "x-trailer",
    upgrade: "h2c",
  };
  // Two fields, names as a proxy might spell them: a runtime with a fast path for few headers takes it.
  if (how === "pair") return new Response("pair", { headers: { "Keep-Alive": "timeout=5", "X-Kept": "1" } });
  // One field alone, not the Content-Type a runtime's fast path for Response.json may pass unchecked.
  if (how === "lone") return new Response("lone", { headers: { "Keep-Alive": "timeout=5" } });
  if (how === "json") return Response.json({ hop: true }, { headers: { ...hops, "x-kept": "1" } });
  if (how === "async") return Promise.resolve(new Response("async", { headers: { ...hops, "x-kept": "1" } }));
  // A body that streams, which a server writes by another path than a body it has whole.
  if (how === "streamed") return new Response(endsLater("streamed"), { headers: { ...hops, "x-kept": "1" } });
  if (how !== "changed") return new Response("built", { headers: { ...hops, "x-kept": "1" } });
  const changed = new Response("changed", { headers: { "x-kept": "1" } });
  for (const [name, value] of Object.entries(hops)) changed.headers.append(name, value);
  return changed;
}

async function echo(request: Request): Promise<Response> {
  const body = await request.arrayBuffer();
  return new Response(body, {
    headers: {
      "content-type": request.headers.get("content-type") ?? "application/octet-stream",
      "x-method": request.method,
    },
  });
}

type BodyMethod = "text" | "json" | "arrayBuffer" | "bytes";

// Reads the body with one body method (after a clone, if asked), and says what the request looks like after.
async function bodyState(request: Request, read: string, clone: boolean): Promise<Response> {
  const method = read as BodyMethod;
  const copy = clone ? request.clone() : undefined;
  const value: unknown = await request[method]();
  const text =
    method === "json"
      ? JSON.stringify(value)
      : typeof value === "string"
        ? value
        : new TextDecoder().decode(value as ArrayBuffer | Uint8Array);
  const length = value instanceof Uint8Array || value instanceof ArrayBuffer ? value.byteLength : undefined;
  const whole = value instanceof Uint8Array ? value.buffer.byteLength : length;
  const again = await request.text().then(
    () => "read again",
    (error: Error) => error.name,
  );
  let rewrapped: string;
  try {
    new Request(request);
    rewrapped = "rewrapped";
  } catch (error) {
    rewrapped = (error as Error).name;
  }
  return Response.json({
    text,
    length,
    whole,
    used: request.bodyUsed,
    locked: request.body?.locked,
    again,
    rewrapped,
    cloned: copy === undefined ? null : await copy.text(),
  });
}

// Reads an upload the client breaks off; records whether request.signal fired and whether the read failed.
async function uploadAbort(request: Request, id: string): Promise<Response> {
  aborted.set(id, false);
  request.signal.addEventListener("abort", () => aborted.set(id, true));
  await request.arrayBuffer().catch(() => readFailed.add(id));
  return new Response("read");
}

interface MemoryRuntime {
  gc?: () => void;
  Bun?: { gc(force: boolean): void };
  process?: { memoryUsage(): { heapUsed: number } };
}

// The live heap in MiB after a full collection, where the runtime lets a script collect (--expose-gc, Bun.gc).
function heapAfterGc(): number | null {
  const runtime = globalThis as MemoryRuntime;
  if (runtime.Bun) runtime.Bun.gc(true);
  else if (runtime.gc) runtime.gc();
  else return null;
  return (runtime.process?.memoryUsage().heapUsed ?? 0) / 1024 / 1024;
}

// Counts an upload as it arrives; `counted` keeps how much the application was handed, and whether the read failed.
async function count(request: Request, id: string): Promise<Response> {
  const progress = { bytes: 0, failed: false };
  counted.set(id, progress);
  try {
    for await (const chunk of request.body ?? []) progress.bytes += chunk.byteLength;
  } catch (error) {
    progress.failed = true;
    throw error;
  }
  return Response.json({ bytes: progress.bytes });
}

function stream(id: string, chunks: number, size: number, delay: number): Response {
  let sent = 0;
  return new Response(
    new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (delay) await sleep(delay);
        controller.enqueue(bytes(size, 97 + (sent % 26)));
        pulled.set(id, ++sent);
        if (sent === chunks) controller.close();
      },
    }),
    { headers: { "content-type": "application/octet-stream" } },
  );
}

// A complete body handed over as a new stream around it, ending at once or a turn after its last chunk.
function rewrapped(later: boolean): Response {
  const reader = new Response("rewrapped").body!.getReader();
  return new Response(
    new ReadableStream<Uint8Array>({
      async pull(controller) {
        const chunk = await reader.read();
        if (!chunk.done) return controller.enqueue(chunk.value);
        if (later) await new Promise((resolve) => setTimeout(resolve, 0));
        controller.close();
      },
    }),
  );
}

// The text at once, the end a timer later: a body the server streams, chunked. The end comes from pull, so
// a stream cancelled meanwhile (the client read the text and left) makes no throw outside the stream.
function endsLater(text: string): ReadableStream<Uint8Array> {
  let sent = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!sent) {
        sent = true;
        return controller.enqueue(new TextEncoder().encode(text));
      }
      await sleep(0);
      controller.close();
    },
  });
}

// One chunk at once, the second only once /open-gate is asked for: a client sees the first or waits forever.
// The gate is polled, not a promise another request resolves: workerd cancels a request woken that way.
function gated(id: string): Response {
  const encoder = new TextEncoder();
  return new Response(
    new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode("first;"));
      },
      async pull(controller) {
        while (!opened.has(id)) await sleep(10);
        opened.delete(id);
        controller.enqueue(encoder.encode("second"));
        controller.close();
      },
    }),
    { headers: { "content-type": "application/octet-stream" } },
  );
}

// What Node refuses while writing a head, set on the instance after construction (which would check it).
function badHead(what: string): Response {
  const injected = "a\r\nInjected: yes";
  if (what === "status-init") return new Response("bad head", { statusText: injected });
  const response = new Response("bad head");
  if (what === "status") Object.defineProperty(response, "statusText", { value: injected });
  const [name, value] = what === "name" ? ["bad name", "v"] : ["x-bad", injected];
  // A header list the Headers class would never hold, read the ways the adapters read headers.
  const headers = {
    *[Symbol.iterator]() {
      yield [name, value];
    },
    forEach: (each: (value: string, name: string) => void) => each(value, name),
    get: () => null,
    has: () => false,
  };
  if (what === "name" || what === "value") Object.defineProperty(response, "headers", { value: headers });
  return response;
}

// An event stream that writes until cancelled; records that the cancel reached it. Given `failsOnLeave`, it
// is fed from something tied to that request's signal (an upstream fetch, say) and errors when the client
// leaves; `aborted` then says the departure was seen, by the signal or, where the runtime cancels, by cancel.
function sse(id: string, failsOnLeave?: Request): Response {
  aborted.set(id, false);
  let timer: ReturnType<typeof setInterval>;
  const encoder = new TextEncoder();
  return new Response(
    new ReadableStream({
      start(controller) {
        let n = 0;
        timer = setInterval(() => controller.enqueue(encoder.encode(`data: ${n++}\n\n`)), 10);
        failsOnLeave?.signal.addEventListener("abort", () => {
          clearInterval(timer);
          controller.error(new Error(`upstream gone with the client ${id}`));
          aborted.set(id, true);
        });
      },
      cancel() {
        clearInterval(timer);
        aborted.set(id, true);
      },
    }),
    { headers: { "content-type": "text/event-stream" } },
  );
}

// The compress() test's application, behind compress() and logger(): one route per case of
// test/middleware-compress.test.ts, web APIs only, so it runs on every runtime, workerd included.
import { compress } from "../../middleware/compress.ts";
import { logger } from "../../middleware/logger.ts";
import type { Context, Env } from "../../src/types.ts";

/** A text of `size` bytes that compresses well but is not one byte repeated. */
export function sampleText(size: number): string {
  const line = "tsgi compresses what is worth compressing, and leaves the rest alone.\n";
  return line.repeat(Math.ceil(size / line.length)).slice(0, size);
}

// Live streams: each chunk is produced only once the test has asked for it through /next, so a chunk held
// back by a compressor never reaches the client and the test waits for it in vain.
const waiting = new Map<string, () => void>();
const asked = (id: string) => new Promise<void>((resolve) => waiting.set(id, resolve));

// workerd cancels a request that waits on another one (it sees no I/O of its own): there, `delay` spaces the chunks.
function live(id: string, chunks: number, delay: number): Response {
  let sent = 0;
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (sent > 0) await (delay > 0 ? new Promise((resolve) => setTimeout(resolve, delay)) : asked(id));
      if (sent === chunks) return controller.close();
      controller.enqueue(encoder.encode(`${JSON.stringify({ event: sent++, padding: sampleText(40) })}\n`));
    },
  });
  return new Response(body, { headers: { "content-type": "application/x-ndjson" } });
}

const text = (body: string, headers: Record<string, string> = {}, status = 200) =>
  new Response(body, { status, headers: { "content-type": "text/plain; charset=utf-8", ...headers } });

function routes(request: Request): Response {
  const url = new URL(request.url.replace("/logged/", "/"));
  const query = url.searchParams;
  const size = Number(query.get("size") ?? 4096);
  switch (url.pathname) {
    case "/text":
      return text(sampleText(size));
    case "/json":
      return Response.json({ items: Array.from({ length: 100 }, (_, i) => ({ i, name: `item ${i}` })) });
    case "/sse":
      return new Response(`data: ${sampleText(size)}\n\n`, { headers: { "content-type": "text/event-stream" } });
    case "/coded":
      return text(sampleText(size), { "content-encoding": "x-custom" });
    case "/png":
      return new Response(new Uint8Array(size).fill(7), { headers: { "content-type": "image/png" } });
    case "/etag":
      return text(sampleText(size), { etag: '"v1"', vary: "Origin" });
    case "/length":
      return text(sampleText(size), { "content-length": String(size) });
    case "/no-transform":
      return text(sampleText(size), { "cache-control": "no-transform" });
    case "/status":
      return new Response(null, { status: Number(query.get("code")) });
    case "/live":
      return live(query.get("id") ?? "", Number(query.get("chunks") ?? 3), Number(query.get("delay") ?? 0));
    case "/accept-encoding":
      return text(request.headers.get("accept-encoding") ?? "none");
    case "/next":
      waiting.get(query.get("id") ?? "")?.();
      return text("next");
    default:
      return text("not found", {}, 404);
  }
}

const compressed = compress()(routes);
// Under /logged/, logger() outside compress(): its bytes are the coded ones, what the client is sent. It writes
// to stderr, where test/runtimes.ts gathers it. Elsewhere no logger, whose counted body would hide the length.
const logged = logger({ write: (line) => console.error(`log: ${line}`) })(compressed);

export function compressApp(request: Request, env: Env, ctx: Context): Response | Promise<Response> {
  return new URL(request.url).pathname.startsWith("/logged/")
    ? logged(request, env, ctx)
    : compressed(request, env, ctx);
}

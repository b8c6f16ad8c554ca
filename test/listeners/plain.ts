// A plain node:http listener with one route per behaviour the listener tests check: what the request looks
// like from inside, status and headers, bodies both ways, what it writes and when, and every way to fail.
import type { IncomingMessage, ServerResponse } from "node:http";

/** Which requests saw `close` on req and on res, by the `id` the client gave: /closed?id= reads it. */
const closed = new Map<string, string[]>();
/** The highest resident set size seen during the last big upload or download, and where it started. */
let memory = { start: 0, peak: 0, bytes: 0 };

// Garbage is not growth: the test runtimes expose a collector (runtimes.ts), so a sample sees what is held.
const collect =
  (globalThis as { gc?: () => void }).gc ?? (globalThis as { Bun?: { gc(force: boolean): void } }).Bun?.gc;

function rss(): number {
  return process.memoryUsage().rss;
}

/** Samples the resident set after a collection, every 4 MiB that went through. */
function sample(bytes: number, size: number): void {
  if (Math.floor(bytes / (4 * 1024 * 1024)) === Math.floor((bytes - size) / (4 * 1024 * 1024))) return;
  collect?.(true);
  memory.peak = Math.max(memory.peak, rss());
}

function json(res: ServerResponse, value: unknown, status = 200): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

const routes: Record<string, (req: IncomingMessage, res: ServerResponse, query: URLSearchParams) => unknown> = {
  "/request": (req, res) =>
    json(res, {
      method: req.method,
      url: req.url,
      headers: req.headers,
      rawHeaders: req.rawHeaders,
      remoteAddress: req.socket.remoteAddress,
      httpVersion: req.httpVersion,
    }),
  "/status": (_req, res) => {
    res.statusCode = 299;
    res.statusMessage = "Quite Fine";
    res.end("custom");
  },
  "/headers": (_req, res) => {
    res.setHeader("Set-Cookie", ["a=1; Path=/", "b=2; HttpOnly", "c=3; Expires=Wed, 21 Oct 2026 07:28:00 GMT"]);
    res.setHeader("X-Multi", ["one", "two"]);
    res.appendHeader("Vary", "Accept");
    res.appendHeader("Vary", "Accept-Encoding");
    res.writeHead(201, "Made", { "X-Written": "head", "Content-Type": "text/plain" });
    res.end("made");
  },
  "/echo": (req, res) => {
    res.writeHead(200, { "content-type": req.headers["content-type"] ?? "application/octet-stream" });
    req.pipe(res);
  },
  "/crlf": (_req, res) => {
    // Bytes that look like the end of a header block and a last chunk must reach the client as they are.
    res.setHeader("content-type", "text/plain");
    res.write("first\r\n\r\nsecond\r\n");
    res.write("0\r\n\r\n");
    res.end("HTTP/1.1 200 OK\r\n\r\nlast");
  },
  "/hop": (_req, res) => {
    res.setHeader("Connection", "x-private");
    res.setHeader("X-Private", "only this hop");
    res.setHeader("Keep-Alive", "timeout=99");
    res.setHeader("Transfer-Encoding", "chunked");
    res.setHeader("X-Kept", "yes");
    res.write("chunked ");
    res.end("body");
  },
  "/empty": (_req, res, query) => {
    res.writeHead(Number(query.get("status") ?? 204), { etag: '"v1"' });
    res.end();
  },
  "/flush": (_req, res) => {
    res.setHeader("content-type", "text/plain");
    res.flushHeaders();
    setTimeout(() => res.end("after a while"), 300);
  },
  "/continue": (_req, res) => {
    res.writeContinue();
    res.end("continued");
  },
  "/trailers": (_req, res) => {
    res.writeHead(200, { "content-type": "text/plain", trailer: "x-checksum" });
    res.write("with ");
    res.addTrailers({ "x-checksum": "abc" });
    res.end("trailers");
  },
  "/sse": (req, res, query) => {
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    const count = Number(query.get("count") ?? 3);
    let sent = 0;
    const timer = setInterval(() => {
      res.write(`data: ${sent++} ${Date.now()}\n\n`);
      if (sent === count) {
        clearInterval(timer);
        res.end();
      }
    }, 200);
    req.once("close", () => clearInterval(timer));
  },
  "/hold": (req, res, query) => {
    // Answers only once the client is gone: records which of req and res saw `close`.
    const seen: string[] = [];
    closed.set(query.get("id") ?? "", seen);
    req.once("close", () => seen.push("req"));
    res.once("close", () => seen.push("res"));
    if (query.has("started")) res.write("started ");
  },
  "/closed": (_req, res, query) => json(res, closed.get(query.get("id") ?? "") ?? null),
  "/upload": (req, res) => {
    collect?.(true);
    memory = { start: rss(), peak: rss(), bytes: 0 };
    req.on("data", (chunk: Buffer) => {
      memory.bytes += chunk.byteLength;
      sample(memory.bytes, chunk.byteLength);
    });
    req.once("end", () => json(res, memory));
  },
  "/download": (_req, res, query) => {
    const total = Number(query.get("mib") ?? 1) * 1024 * 1024;
    const chunk = Buffer.alloc(64 * 1024, 7);
    collect?.(true);
    memory = { start: rss(), peak: rss(), bytes: 0 };
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": total });
    const pump = (): void => {
      while (memory.bytes < total) {
        memory.bytes += chunk.byteLength;
        sample(memory.bytes, chunk.byteLength);
        if (!res.write(chunk)) return void res.once("drain", pump);
      }
      res.end();
    };
    pump();
  },
  "/memory": (_req, res) => json(res, memory),
  "/throw": () => {
    throw new Error("listener threw");
  },
  "/reject": async () => {
    await new Promise((resolve) => setTimeout(resolve, 10));
    throw new Error("listener rejected");
  },
  "/silent": async () => {},
  "/destroy": (_req, res) => res.destroy(),
  "/cut": (_req, res) => {
    res.write("partial");
    setTimeout(() => res.destroy(), 50);
  },
};

/**
 * The plain listener: `/request` echoes what the listener sees, the others each show one behaviour.
 *
 * @example
 * createServer(plainListener).listen(3000);
 */
export function plainListener(req: IncomingMessage, res: ServerResponse): unknown {
  const url = new URL(req.url ?? "/", "http://x");
  const route = routes[url.pathname];
  if (route === undefined) return json(res, { error: "no such route", url: req.url }, 404);
  return route(req, res, url.searchParams);
}

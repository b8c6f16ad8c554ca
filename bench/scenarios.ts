// The benchmark's scenarios, in one place: what the load generator sends (`scenarios`) and the one
// fetch application every fetch-style target serves (`createBenchApp`). The raw node:http server
// (servers/node-raw-answers.ts) answers the same paths with the same bytes.

/** One measured request shape. */
export interface Scenario {
  /** Short name, used on the command line and as a table column. */
  name: string;
  /** Column heading in the printed tables. */
  label: string;
  method: "GET" | "POST";
  path: string;
  headers?: Record<string, string>;
  /** Built once per run; sent with every request. */
  body?: () => Uint8Array;
}

export const KiB = 1024;
export const MiB = 1024 * 1024;

/** The streamed download: 1 MiB in 16 chunks of 64 KiB, the same bytes every time. */
export const STREAM_CHUNKS = 16;
export const STREAM_CHUNK: Uint8Array = new Uint8Array(MiB / STREAM_CHUNKS).fill(120);

/** A JSON document of exactly 1 KiB, for the echo scenario. */
export function echoDocument(): string {
  const base = JSON.stringify({ id: 1, name: "tsgi", tags: ["a", "b", "c"], filler: "" });
  return JSON.stringify({ id: 1, name: "tsgi", tags: ["a", "b", "c"], filler: "x".repeat(KiB - base.length) });
}

/** The small JSON answer. */
export const smallJson: { message: string; ok: boolean; count: number } = {
  message: "hello, world",
  ok: true,
  count: 42,
};

/** The 20 response headers of the headers scenario, three of them Set-Cookie. */
export const manyHeaders: [string, string][] = [
  ["content-type", "text/plain; charset=utf-8"],
  ["set-cookie", "session=abc123; Path=/; HttpOnly; SameSite=Lax"],
  ["set-cookie", "theme=dark; Path=/; Max-Age=31536000"],
  ["set-cookie", "csrf=9f8e7d6c5b4a; Path=/; Secure"],
  ["cache-control", "no-store, max-age=0"],
  ["x-request-id", "3f2a9c1e-7b4d-4e8a-9c2f-1a2b3c4d5e6f"],
  ["x-frame-options", "DENY"],
  ["x-content-type-options", "nosniff"],
  ["referrer-policy", "strict-origin-when-cross-origin"],
  ["strict-transport-security", "max-age=63072000; includeSubDomains"],
  ["content-security-policy", "default-src 'self'"],
  ["permissions-policy", "geolocation=(), camera=()"],
  ["vary", "accept-encoding"],
  ["etag", '"5d41402abc4b2a76b9719d911017c592"'],
  ["last-modified", "Wed, 21 Oct 2026 07:28:00 GMT"],
  ["x-powered-by", "bench"],
  ["x-trace", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"],
  ["access-control-allow-origin", "*"],
  ["timing-allow-origin", "*"],
  ["x-extra", "1"],
];

const encoder = new TextEncoder();

export const scenarios: Scenario[] = [
  { name: "hello", label: "hello", method: "GET", path: "/hello" },
  { name: "json", label: "json", method: "GET", path: "/json" },
  {
    name: "echo",
    label: "echo 1 KB",
    method: "POST",
    path: "/echo",
    headers: { "content-type": "application/json" },
    body: () => encoder.encode(echoDocument()),
  },
  {
    name: "upload",
    label: "upload 1 MiB",
    method: "POST",
    path: "/upload",
    headers: { "content-type": "application/octet-stream" },
    body: () => new Uint8Array(MiB).fill(97),
  },
  { name: "stream", label: "stream 1 MiB", method: "GET", path: "/stream" },
  { name: "headers", label: "20 headers", method: "GET", path: "/headers" },
];

/** The Response class an application builds its answers with: the global one, or a peer's own. */
export interface ResponseClass {
  new (body?: BodyInit | null, init?: ResponseInit): Response;
  json(data: unknown, init?: ResponseInit): Response;
}

/** Counts a request body's bytes as they stream in, without keeping them. */
async function countBytes(body: ReadableStream<Uint8Array> | null): Promise<number> {
  if (body === null) return 0;
  let total = 0;
  const reader = body.getReader();
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) total += chunk.value.byteLength;
  return total;
}

function streamBody(): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      controller.enqueue(STREAM_CHUNK);
      if (++sent === STREAM_CHUNKS) controller.close();
    },
  });
}

/**
 * The benchmark application as a plain fetch handler. `R` is the Response class it answers with,
 * looked up per request, so a peer that replaces the global Response (as @hono/node-server does by
 * default) gets its own class, as its users' applications would.
 */
export function createBenchApp(
  R: () => ResponseClass = () => Response,
): (request: Request) => Response | Promise<Response> {
  return (request) => {
    const path = request.url.slice(request.url.indexOf("/", 8));
    switch (path) {
      case "/hello":
        return new (R())("Hello, World!");
      case "/json":
        return R().json(smallJson);
      case "/echo":
        return request.json().then((data: unknown) => R().json(data));
      case "/upload":
        return countBytes(request.body).then((total) => new (R())(String(total)));
      case "/stream":
        return new (R())(streamBody(), { headers: { "content-type": "application/octet-stream" } });
      case "/headers":
        return new (R())("ok", { headers: manyHeaders });
      default:
        return new (R())("Not Found", { status: 404 });
    }
  };
}

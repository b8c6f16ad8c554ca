// A Function URL stand-in on loopback, for the streaming tests: each HTTP request becomes a payload 2.0
// event, the handler writes into the `awslambda` double's response stream, and the prelude and body go
// out to the real client the way Lambda's front end sends them (status and headers from the prelude, each
// cookie its own Set-Cookie line, the body at the pace the client reads, the stream destroyed when the
// client leaves).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { StreamingLambdaHandler } from "../../adapters/aws-lambda.ts";
import {
  type LambdaResult,
  lambdaContext,
  resultBytes,
  resultCookies,
  resultHeaders,
  resultStatus,
} from "./context.ts";
import { ResponseStream } from "./awslambda.ts";

async function eventOf(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const url = new URL(req.url ?? "/", "http://localhost");
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers))
    headers[name] = Array.isArray(value) ? value.join(",") : String(value);
  const event: Record<string, unknown> = {
    version: "2.0",
    routeKey: "$default",
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    requestContext: {
      domainName: "t4nq7x2kz9wbe5rh3mvc8dlg6pyf0sj1.lambda-url.us-east-2.on.aws",
      http: {
        method: req.method,
        path: decodeURIComponent(url.pathname),
        protocol: "HTTP/1.1",
        sourceIp: req.socket.remoteAddress,
        userAgent: headers["user-agent"] ?? "",
      },
      stage: "$default",
      routeKey: "$default",
      requestId: "stand-in",
    },
    isBase64Encoded: chunks.length > 0,
  };
  if (req.headers.cookie) event.cookies = req.headers.cookie.split("; ");
  if (chunks.length > 0) event.body = Buffer.concat(chunks).toString("base64");
  return event;
}

/** The stream the handler writes into: the prelude becomes the head, the rest the body, with backpressure. */
class ToClient extends ResponseStream {
  #res: ServerResponse;
  #head: Buffer | undefined = Buffer.alloc(0);

  constructor(res: ServerResponse) {
    super(16 * 1024);
    this.#res = res;
    res.on("close", () => {
      if (!res.writableFinished) this.destroy();
    });
    // A handler that cuts its stream: the client's response is cut too, as Lambda's front end does.
    this.on("error", () => res.destroy());
  }

  override _write(chunk: Buffer, _encoding: string, callback: (error?: Error | null) => void): void {
    this.chunks.push(Buffer.from(chunk));
    let body = chunk;
    if (this.#head !== undefined) {
      const head = Buffer.concat([this.#head, chunk]);
      const split = head.indexOf(Buffer.alloc(8));
      if (split < 0) {
        this.#head = head;
        return callback();
      }
      const prelude = JSON.parse(head.subarray(0, split).toString("utf8"));
      const lines: [string, string][] = Object.entries(prelude.headers ?? {}).map(([name, value]) => [
        name,
        String(value),
      ]);
      for (const cookie of prelude.cookies ?? []) lines.push(["set-cookie", cookie]);
      this.#res.writeHead(prelude.statusCode ?? 200, lines.flat());
      this.#head = undefined;
      body = head.subarray(split + 8);
    }
    if (body.byteLength === 0 || this.#res.write(body)) return callback();
    this.#res.once("drain", () => callback());
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#res.end(() => callback());
  }
}

/** Serves `handler` as a Function URL with `InvokeMode: RESPONSE_STREAM` would; `close()` stops it. */
export function functionUrl(
  handler: StreamingLambdaHandler,
): Promise<{ url: string; close(): Promise<void>; invocations: Promise<void>[] }> {
  const invocations: Promise<void>[] = [];
  return listen(invocations, (req, res) =>
    eventOf(req).then((event) => handler(event, new ToClient(res), lambdaContext())),
  );
}

/** Serves `handler` as a Function URL with `InvokeMode: BUFFERED` would: the whole result once the handler returns. */
export function bufferedFunctionUrl(
  handler: (event: unknown, context: unknown) => Promise<LambdaResult>,
): Promise<{ url: string; close(): Promise<void>; invocations: Promise<void>[] }> {
  const invocations: Promise<void>[] = [];
  return listen(invocations, async (req, res) => {
    const result = await handler(await eventOf(req), lambdaContext());
    const lines = Object.entries(resultHeaders(result)).flatMap(([name, value]) => [name, value]);
    for (const cookie of resultCookies(result)) lines.push("set-cookie", cookie);
    res.writeHead(resultStatus(result), lines);
    res.end(resultBytes(result));
  });
}

async function listen(
  invocations: Promise<void>[],
  invoke: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
): Promise<{ url: string; close(): Promise<void>; invocations: Promise<void>[] }> {
  const server = createServer((req, res) => {
    invocations.push(invoke(req, res).catch(() => {}));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    invocations,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

// Not a product: the least any adapter that keeps Node's own Request and Response must do (build the
// Request, call the application, read the Response back, write it), with no signal, no error handling,
// no backpressure. What separates it from raw node:http is the cost of the fetch objects themselves.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createBenchApp } from "../scenarios.ts";

const app = createBenchApp();

const server = createServer(async (req, res) => {
  const headers: [string, string][] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i], req.rawHeaders[i + 1]]);
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  const body = hasBody ? (ReadableStreamFrom(req) as ReadableStream<Uint8Array>) : null;
  const init = hasBody ? ({ method: req.method, headers, body, duplex: "half" } as RequestInit) : { headers };
  const response = await app(new Request(`http://${req.headers.host}${req.url}`, init));
  const raw: string[] = [];
  for (const [name, value] of response.headers) raw.push(name, value);
  const reader = response.body!.getReader();
  const first = await reader.read();
  const second = first.done ? first : await reader.read();
  if (second.done) {
    const bytes = first.value ?? new Uint8Array();
    res.writeHead(response.status, [...raw, "content-length", String(bytes.byteLength)]);
    return void res.end(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1"), "latin1");
  }
  res.writeHead(response.status, raw);
  res.write(first.value);
  for (let chunk: ReadableStreamReadResult<Uint8Array> = second; !chunk.done; chunk = await reader.read())
    res.write(chunk.value);
  res.end();
});

function ReadableStreamFrom(req: AsyncIterable<Buffer>): ReadableStream<Uint8Array> {
  const iterator = req[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await iterator.next();
      if (done) controller.close();
      else controller.enqueue(value);
    },
  });
}

server.listen(0, "127.0.0.1", () => {
  console.log(JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` }));
});

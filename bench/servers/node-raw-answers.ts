// The bench scenarios answered by hand on node:http, with no fetch objects: raw node:http (node-raw.ts), and
// the same with the upload counted through a ReadableStream as a fetch handler reads it (node-raw-stream.ts).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { STREAM_CHUNK, STREAM_CHUNKS, manyHeaders, smallJson } from "../scenarios.ts";

const flatHeaders = manyHeaders.flat();

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function text(res: ServerResponse, body: string, type = "text/plain;charset=UTF-8"): void {
  res.writeHead(200, { "content-type": type, "content-length": Buffer.byteLength(body) });
  res.end(body);
}

/** How a server counts the upload's bytes; it calls `done` with the total. */
export type UploadCounter = (req: IncomingMessage, done: (total: number) => void) => void;

/** Counts the upload as raw node:http does: from its `data` events, keeping nothing. */
export const countData: UploadCounter = (req, done) => {
  let total = 0;
  req.on("data", (chunk: Buffer) => (total += chunk.byteLength));
  req.on("end", () => done(total));
};

/** Serves the scenarios on a free port of 127.0.0.1 and prints its URL, as every bench server does. */
export function listenRaw(countUpload: UploadCounter): void {
  const server = createServer((req, res) => {
    switch (req.url) {
      case "/hello":
        return text(res, "Hello, World!");
      case "/json":
        return text(res, JSON.stringify(smallJson), "application/json");
      case "/echo":
        return void readAll(req).then((data) =>
          text(res, JSON.stringify(JSON.parse(data.toString())), "application/json"),
        );
      case "/upload":
        return countUpload(req, (total) => text(res, String(total)));
      case "/stream":
        res.writeHead(200, { "content-type": "application/octet-stream" });
        for (let i = 0; i < STREAM_CHUNKS; i++) res.write(STREAM_CHUNK);
        return void res.end();
      case "/headers":
        res.writeHead(200, [...flatHeaders, "content-length", "2"]);
        return void res.end("ok");
      default:
        res.writeHead(404).end("Not Found");
    }
  });
  server.listen(0, "127.0.0.1", () => {
    console.log(JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` }));
  });
}

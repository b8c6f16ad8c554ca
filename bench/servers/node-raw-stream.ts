// Raw node:http reading the upload as a fetch handler must, through a ReadableStream over the request's
// `data` events (Node's own web stream, one read per chunk); everything else as node-raw.ts. Between it and
// raw lies what the Fetch API's body stream costs, whatever the adapter.
import type { IncomingMessage } from "node:http";
import { listenRaw, type UploadCounter } from "./node-raw-answers.ts";

function bodyStream(req: IncomingMessage): ReadableStream<Uint8Array> {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let listening = false;
  return new ReadableStream<Uint8Array>(
    {
      start(streamController) {
        controller = streamController;
      },
      pull() {
        if (listening) return void (req.isPaused() && req.resume());
        listening = true;
        req.on("data", (chunk: Buffer) => {
          controller.enqueue(chunk);
          // Paused at the 256 KiB that tsgi lets wait unread, so the two hold the same.
          if ((controller.desiredSize ?? 0) < -256 * 1024) req.pause();
        });
        req.once("end", () => controller.close());
      },
    },
    { highWaterMark: 0, size: (chunk) => chunk.byteLength },
  );
}

const countThroughStream: UploadCounter = (req, done) => {
  void (async () => {
    let total = 0;
    const reader = bodyStream(req).getReader();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) total += chunk.value.byteLength;
    done(total);
  })();
};

listenRaw(countThroughStream);

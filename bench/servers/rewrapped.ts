// The bench application with every body handed over as a new stream around the original, ending at once
// or a turn after its last chunk. Served side by side, the two show what the Node adapter's one-write path
// is worth: the first ends within microtasks, so it goes out in one write with a Content-Length; the
// second cannot be seen to be complete, so the head and each chunk go out as they come, chunked.
import { serve } from "../../adapters/node.ts";
import { createBenchApp } from "../scenarios.ts";

function rewrapped(response: Response, endLater: boolean): Response {
  if (response.body === null) return response;
  const reader = response.body.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const chunk = await reader.read();
      if (!chunk.done) return controller.enqueue(chunk.value);
      if (endLater) await new Promise((resolve) => setImmediate(resolve));
      controller.close();
    },
  });
  return new Response(body, { status: response.status, headers: response.headers });
}

export async function serveRewrapped(endLater: boolean): Promise<void> {
  const app = createBenchApp();
  const server = await serve(async (request: Request) => rewrapped(await app(request), endLater), {
    port: 0,
    hostname: "127.0.0.1",
  });
  console.log(JSON.stringify({ url: server.url }));
}

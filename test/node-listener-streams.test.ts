// 100 MiB each way through a listener on every target, with the server's memory staying flat: the body
// streams through Node's parser and the in-memory connection with backpressure, never held whole.
import { expect } from "vitest";
import { onEveryTarget } from "./node-listener-targets.ts";

const MiB = 1024 * 1024;
const total = 100 * MiB;
// The server's resident set may grow by this much while 100 MiB go through it: a buffered body would be 100.
const flat = 48 * MiB;

interface Memory {
  start: number;
  peak: number;
  bytes: number;
}

onEveryTarget((server, test, target) => {
  const url = (path: string): URL => new URL(path, server().url);

  test(
    "big-bodies",
    "takes a 100 MiB upload through the listener with flat memory",
    async () => {
      const block = new Uint8Array(64 * 1024).fill(9);
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent >= total) return controller.close();
          controller.enqueue(block.slice());
          sent += block.byteLength;
        },
      });
      const response = await fetch(url("/plain/upload"), { method: "POST", body, duplex: "half" } as RequestInit);
      const memory = (await response.json()) as Memory;
      expect(memory.bytes).toBe(total);
      if (target.cannot.memory === undefined) expect(memory.peak - memory.start).toBeLessThan(flat);
      else expect(memory.peak - memory.start).toBeLessThan(total);
    },
    180_000,
  );

  test(
    "big-bodies",
    "sends a 100 MiB download through the listener with flat memory, the client reading slowly",
    async () => {
      const response = await fetch(url("/plain/download?mib=100"));
      let received = 0;
      let reads = 0;
      for await (const chunk of response.body!) {
        received += chunk.byteLength;
        // A slow client: the listener must wait on drain rather than queue the rest.
        if (++reads % 64 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect(received).toBe(total);
      const memory = (await (await fetch(url("/plain/memory"))).json()) as Memory;
      expect(memory.bytes).toBe(total);
      expect(memory.peak - memory.start).toBeLessThan(flat);
    },
    180_000,
  );
});

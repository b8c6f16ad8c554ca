// 1 GiB through the Node adapter each way, without the server's memory growing with it (issue 2).
import { request } from "node:http";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "./runtimes.ts";

const GiB = 1024 * 1024 * 1024;
const chunk = new Uint8Array(1024 * 1024).fill(7);

/** The server's peak resident memory so far, in MiB (Linux /proc). */
function peakRss(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((l) => l.startsWith("VmHWM:"))!;
  return Number(line.replace(/\D+/g, "")) / 1024;
}

describe("node: a gigabyte each way with bounded memory", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer("node24", { app: "conformance", options: { maxBodySize: Infinity } });
  });
  afterAll(() => server.stop());

  it("streams a 1 GiB upload to an application that counts it [§4.2-c]", async () => {
    const { hostname, port } = new URL(server.url);
    const counted = await new Promise<string>((resolve, reject) => {
      const req = request(
        { hostname, port, path: "/count", method: "POST", headers: { "content-length": String(GiB) } },
        async (res) => {
          let text = "";
          for await (const part of res) text += part;
          resolve(text);
        },
      );
      req.once("error", reject);
      let sent = 0;
      const pump = (): void => {
        while (sent < GiB) {
          sent += chunk.byteLength;
          if (!req.write(chunk)) return void req.once("drain", pump);
        }
        req.end();
      };
      pump();
    });
    expect(JSON.parse(counted)).toEqual({ bytes: GiB });
    expect(peakRss(server.process.pid!)).toBeLessThan(256);
  }, 120_000);

  it("streams a 1 GiB download to a client", async () => {
    const response = await fetch(new URL("/stream?chunks=1024&size=1048576", server.url));
    let total = 0;
    for await (const part of response.body!) total += part.byteLength;
    expect(total).toBe(GiB);
    expect(peakRss(server.process.pid!)).toBeLessThan(256);
  }, 120_000);
});

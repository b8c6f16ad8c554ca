// The WebSocket leg of the conformance suite (CONTRACT.md §1, ctx.upgradeWebSocket): a server running
// test/conformance/websocket-app.ts is a URL; the client is the WebSocket global of Node 22+ (undici),
// plus the `ws` package where a case needs to see ping frames, which a browser-like client hides.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket as WsClient } from "ws";
import type { Runtime } from "../../src/types.ts";
import type { ServerUnderTest } from "./suite.ts";
import { rawRequest } from "./wire.ts";

export type WebSocketCaseName = "keep-alive" | "graceful-close";

export interface WebSocketTarget {
  name: string;
  runtime: Runtime;
  start(): Promise<ServerUnderTest>;
  /** Cases this runtime cannot pass, each with the reason. */
  cannot?: Partial<Record<WebSocketCaseName, string>>;
}

/** A client socket with its messages queued, so a test can await them in order. */
interface Client {
  ws: WebSocket;
  next(): Promise<unknown>;
  closed: Promise<CloseEvent>;
}

function connect(url: string, protocols?: string[]): Promise<Client> {
  const ws = new WebSocket(url, protocols);
  ws.binaryType = "arraybuffer";
  const queue: unknown[] = [];
  const waiting: ((data: unknown) => void)[] = [];
  ws.onmessage = (event) => {
    const take = waiting.shift();
    if (take) take(event.data);
    else queue.push(event.data);
  };
  const closed = new Promise<CloseEvent>((resolve) => ws.addEventListener("close", resolve));
  return new Promise((resolve, reject) => {
    ws.onopen = () =>
      resolve({
        ws,
        closed,
        next: () => (queue.length ? Promise.resolve(queue.shift()) : new Promise((take) => waiting.push(take))),
      });
    ws.onerror = () => reject(new Error(`WebSocket to ${url} failed to open`));
  });
}

function random(n: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(n);
  for (let at = 0; at < n; at += 65536) crypto.getRandomValues(bytes.subarray(at, at + 65536));
  return bytes;
}

export function websocketConformance(target: WebSocketTarget): void {
  describe(`websocket conformance: ${target.name}`, () => {
    let server: ServerUnderTest;
    let http: string;
    let ws: string;
    const can = (name: WebSocketCaseName) => (target.cannot?.[name] ? it.skip : it);
    const label = (name: WebSocketCaseName, title: string) =>
      target.cannot?.[name] ? `${title} — cannot: ${target.cannot[name]}` : title;

    beforeAll(async () => {
      server = await target.start();
      http = server.url;
      ws = server.url.replace(/^http/, "ws");
    }, 30_000);
    afterAll(() => server?.stop());

    it("echoes text and binary messages exactly", async () => {
      const client = await connect(`${ws}ws/echo`);
      client.ws.send("héllo, wörld ✓");
      expect(await client.next()).toBe("héllo, wörld ✓");
      const bytes = random(256);
      client.ws.send(bytes);
      expect(new Uint8Array((await client.next()) as ArrayBuffer)).toEqual(bytes);
      client.ws.send(new Uint8Array(0));
      expect(((await client.next()) as ArrayBuffer).byteLength).toBe(0);
      client.ws.close(1000);
      expect((await client.closed).code).toBe(1000);
    });

    it("upgrades a request whose URL the server writes again (a Host in capitals)", async () => {
      const client = new WsClient(`${ws}ws/echo`, { headers: { host: `LocalHost:${new URL(http).port}` } });
      await new Promise((resolve, reject) => client.once("open", resolve).once("error", reject));
      const echoed = new Promise<string>((resolve) => client.once("message", (data: Buffer) => resolve(String(data))));
      client.send("still the same socket");
      expect(await echoed).toBe("still the same socket");
      client.close();
    });

    it("echoes a 1 MiB binary message and a 1 MiB text message", async () => {
      const client = await connect(`${ws}ws/echo`);
      const bytes = random(1024 * 1024);
      client.ws.send(bytes);
      const back = new Uint8Array((await client.next()) as ArrayBuffer);
      expect(back.byteLength).toBe(bytes.byteLength);
      expect(Buffer.compare(back, bytes)).toBe(0);
      const text = `${"x".repeat(1024 * 1024 - 3)}end`;
      client.ws.send(text);
      expect(await client.next()).toBe(text);
      client.ws.close();
    }, 20_000);

    it("keeps 1000 small messages in order", async () => {
      const client = await connect(`${ws}ws/echo`);
      for (let i = 0; i < 1000; i++) client.ws.send(`m${i}`);
      const received: unknown[] = [];
      for (let i = 0; i < 1000; i++) received.push(await client.next());
      expect(received).toEqual(Array.from({ length: 1000 }, (_, i) => `m${i}`));
      client.ws.close();
    }, 20_000);

    it("gives the server a browser-like socket with Blob messages by default [§5-d]", async () => {
      const info = await connect(`${ws}ws/info`);
      const seen = JSON.parse((await info.next()) as string);
      expect(seen).toEqual({
        runtime: target.runtime,
        protocol: "",
        readyState: 1,
        binaryType: "blob",
        url: `${ws}ws/info`,
        bufferedAmount: 0,
      });
      info.ws.close();
      const blob = await connect(`${ws}ws/blob`);
      const bytes = random(1000);
      blob.ws.send(bytes);
      expect(new Uint8Array((await blob.next()) as ArrayBuffer)).toEqual(bytes);
      blob.ws.close();
    });

    it("closes from the server with its code and reason", async () => {
      const client = await connect(`${ws}ws/close?code=4001&reason=${encodeURIComponent("bye now ✓")}`);
      const event = await client.closed;
      expect(event.code).toBe(4001);
      expect(event.reason).toBe("bye now ✓");
      expect(event.wasClean).toBe(true);
    });

    it("lets the server see the client's close code and reason", async () => {
      const id = crypto.randomUUID();
      const client = await connect(`${ws}ws/watch?id=${id}`);
      client.ws.close(4321, "client leaving");
      await client.closed;
      let seen: Response | undefined;
      for (let attempt = 0; attempt < 50; attempt++) {
        seen = await fetch(`${http}ws/seen?id=${id}`);
        if (seen.status === 200) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(seen?.status).toBe(200);
      expect(await seen!.json()).toEqual({ code: 4321, reason: "client leaving", wasClean: true });
    });

    it("negotiates a subprotocol the client offered, and none when none fits", async () => {
      const chosen = await connect(`${ws}ws/protocol`, ["chat.v9", "chat.v1"]);
      expect(chosen.ws.protocol).toBe("chat.v1");
      expect(JSON.parse((await chosen.next()) as string).protocol).toBe("chat.v1");
      chosen.ws.close();
      const none = await connect(`${ws}ws/protocol`);
      expect(none.ws.protocol).toBe("");
      expect(JSON.parse((await none.next()) as string).protocol).toBe("");
      none.ws.close();
    });

    it("answers a request without Upgrade with the application's 426", async () => {
      const response = await fetch(`${http}ws/echo`);
      expect(response.status).toBe(426);
      // No check of the Upgrade header the application sets: workerd drops it as hop-by-hop.
      expect(await response.text()).toBe("Upgrade Required");
    });

    it("gives a clear error to ctx.upgradeWebSocket on a request that is not an upgrade [§5-e]", async () => {
      const response = await fetch(`${http}ws/misuse`);
      expect(response.status).toBe(400);
      const error = await response.json();
      expect(error.code).toBe("TSGI_WEBSOCKET_UPGRADE");
      expect(error.message).toMatch(/not a WebSocket upgrade/);
    });

    it("sends an ordinary HTTP response to an upgrade the application refuses", async () => {
      const key = Buffer.from(random(16)).toString("base64");
      const { hostname, port } = new URL(http);
      const reply = await rawRequest(
        http,
        `GET /ws/refuse HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
        { timeout: 1500 },
      );
      expect(reply.head).toMatch(/^HTTP\/1\.1 403/);
      expect(reply.raw).toContain("no sockets here");
      // A browser-like client sees the refusal as a failed connection.
      await expect(connect(`${ws}ws/refuse`)).rejects.toThrow(/failed to open/);
    });

    can("keep-alive")(
      label("keep-alive", "pings an idle client when idleTimeout is set, and stays open while it answers"),
      async () => {
        const client = new WsClient(`${ws}ws/keepalive`);
        const pinged = new Promise<void>((resolve) => client.once("ping", () => resolve()));
        await new Promise((resolve, reject) => client.once("open", resolve).once("error", reject));
        await pinged;
        // The ws client answers pings by itself; after two more periods the socket is still open and echoing.
        await new Promise((resolve) => setTimeout(resolve, 2200));
        const echoed = new Promise<string>((resolve) =>
          client.once("message", (data: Buffer) => resolve(data.toString())),
        );
        client.send("still here");
        expect(await echoed).toBe("still here");
        client.close();
      },
      15_000,
    );

    can("graceful-close")(
      label("graceful-close", "closes open sockets with 1001 when the server shuts down"),
      async () => {
        const client = await connect(`${ws}ws/echo`);
        await server.stop();
        expect((await client.closed).code).toBe(1001);
      },
      15_000,
    );
  });
}

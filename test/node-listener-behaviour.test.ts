// fromNodeListener's behaviour, seen by a real client, on every target of test/node-listener-targets.ts:
// what the listener sees of the request, what reaches the client of what it writes, and each way it fails.
import { expect } from "vitest";
import { rawRequest, waitFor } from "./conformance/wire.ts";
import { onEveryTarget } from "./node-listener-targets.ts";

function random(n: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(n);
  for (let at = 0; at < n; at += 65536) crypto.getRandomValues(bytes.subarray(at, at + 65536));
  return bytes;
}

/** Each chunk of a streamed body with the milliseconds since the request when it arrived. */
async function arrivals(response: Response, started: number): Promise<{ text: string; at: number }[]> {
  const seen: { text: string; at: number }[] = [];
  const decoder = new TextDecoder();
  for await (const chunk of response.body!) seen.push({ text: decoder.decode(chunk), at: Date.now() - started });
  return seen;
}

onEveryTarget((server, test, target) => {
  const url = (path: string): URL => new URL(path, server().url);

  test(undefined, "gives req.url as the path and query under the mount, and the request's headers", async () => {
    const response = await fetch(url("/plain/request?a=1&b=%20x&a=2"), {
      headers: { "x-one": "1", "X-Two": "two", accept: "text/plain" },
    });
    const seen = await response.json();
    expect(seen.method).toBe("GET");
    expect(seen.url).toBe("/request?a=1&b=%20x&a=2");
    expect(seen.headers).toMatchObject({ "x-one": "1", "x-two": "two", accept: "text/plain" });
    expect(seen.headers.host).toBe(url("/").host);
    const raw: string[] = seen.rawHeaders;
    expect(raw[raw.findIndex((name) => name.toLowerCase() === "x-two") + 1]).toBe("two");
    expect(raw.length % 2).toBe(0);
  });

  test("remote-address", "gives req.socket.remoteAddress as ctx.remoteAddress", async () => {
    const seen = await (await fetch(url("/plain/request"))).json();
    const ctx = await (await fetch(url("/ctx"))).json();
    expect(ctx.remoteAddress).toBeTruthy();
    expect(seen.remoteAddress).toBe(ctx.remoteAddress);
  });

  test("reason-phrase", "keeps the status and the reason phrase", async () => {
    const response = await fetch(url("/plain/status"));
    expect([response.status, response.statusText, await response.text()]).toEqual([299, "Quite Fine", "custom"]);
  });

  test(undefined, "keeps every header: each Set-Cookie apart, repeated ones, writeHead's and setHeader's", async () => {
    const response = await fetch(url("/plain/headers"));
    expect(response.status).toBe(201);
    expect(response.headers.getSetCookie()).toEqual([
      "a=1; Path=/",
      "b=2; HttpOnly",
      "c=3; Expires=Wed, 21 Oct 2026 07:28:00 GMT",
    ]);
    expect(response.headers.get("x-multi")).toBe("one, two");
    expect(response.headers.get("vary")).toBe("Accept, Accept-Encoding");
    expect(response.headers.get("x-written")).toBe("head");
    expect(await response.text()).toBe("made");
  });

  test(undefined, "round-trips a binary body both ways, byte for byte, streamed in", async () => {
    const body = random(3 * 1024 * 1024 + 7);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= body.byteLength) return controller.close();
        controller.enqueue(body.subarray(sent, sent + 100_000));
        sent += 100_000;
      },
    });
    const response = await fetch(url("/plain/echo"), {
      method: "POST",
      body: stream,
      headers: { "content-type": "application/octet-stream" },
      duplex: "half",
    } as RequestInit);
    expect(response.status).toBe(200);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(body);
  });

  test(undefined, "sends a body holding \\r\\n\\r\\n and chunk-like lines exactly", async () => {
    const response = await fetch(url("/plain/crlf"));
    expect(await response.text()).toBe("first\r\n\r\nsecond\r\n0\r\n\r\nHTTP/1.1 200 OK\r\n\r\nlast");
  });

  test(undefined, "keeps the listener's hop-by-hop headers off the wire and frames the body itself", async () => {
    const response = await fetch(url("/plain/hop"));
    expect(response.headers.get("x-private")).toBeNull();
    expect(response.headers.get("keep-alive")).not.toBe("timeout=99");
    expect(response.headers.get("x-kept")).toBe("yes");
    expect(await response.text()).toBe("chunked body");
    const reply = await rawRequest(server().url, `GET /plain/hop HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    expect(reply.head.toLowerCase()).not.toContain("x-private");
    expect(reply.head.toLowerCase().match(/transfer-encoding/g)?.length ?? 0).toBeLessThanOrEqual(1);
  });

  test(undefined, "answers HEAD, 204 and 304 with no body", async () => {
    const head = await fetch(url("/plain/request"), { method: "HEAD" });
    expect([head.status, await head.text()]).toEqual([200, ""]);
    for (const status of [204, 304]) {
      const response = await fetch(url(`/plain/empty?status=${status}`));
      expect([response.status, response.headers.get("etag"), await response.text()]).toEqual([status, '"v1"', ""]);
    }
    const reply = await rawRequest(
      server().url,
      "GET /plain/empty?status=204 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    expect(reply.raw.split("\r\n\r\n")[1] ?? "").toBe("");
  });

  test(
    "continue",
    "lets the listener call writeContinue and addTrailers (trailers do not reach a fetch Response)",
    async () => {
      // fetch will not send Expect: 100-continue, so this one goes over a raw connection.
      const reply = await rawRequest(
        server().url,
        "POST /plain/continue HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 1\r\nConnection: close\r\n\r\nx",
      );
      expect(reply.raw).toMatch(/^HTTP\/1\.1 (100 Continue\r\n\r\nHTTP\/1\.1 )?200 /);
      expect(reply.raw).toMatch(/continued(\r\n0\r\n\r\n)?$/);
      const trailers = await fetch(url("/plain/trailers"));
      expect([trailers.status, await trailers.text()]).toEqual([200, "with trailers"]);
    },
  );

  test("flush-headers", "sends the head on flushHeaders, before the body", async () => {
    const started = Date.now();
    const response = await fetch(url("/plain/flush"));
    expect(Date.now() - started).toBeLessThan(250);
    expect(await response.text()).toBe("after a while");
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  test("streaming", "passes each server-sent event on as the listener writes it", async () => {
    const started = Date.now();
    const response = await fetch(url("/plain/sse?count=4"));
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    const seen = await arrivals(response, started);
    const events = seen
      .map(({ text }) => text)
      .join("")
      .split("\n\n")
      .filter(Boolean);
    expect(events).toHaveLength(4);
    // Four events 200 ms apart: the first must be in long before the last was written.
    expect(seen.at(-1)!.at - seen[0].at).toBeGreaterThan(400);
  });

  test(
    "client-leaves",
    "emits close on req and res when the client leaves, before or after the response starts",
    async () => {
      for (const started of [true, false]) {
        const id = `${started}-${Math.random()}`;
        const client = new AbortController();
        const pending = fetch(url(`/plain/hold?id=${id}${started ? "&started" : ""}`), { signal: client.signal });
        if (started) await (await pending).body!.getReader().read();
        else await new Promise((resolve) => setTimeout(resolve, 300));
        client.abort();
        await pending.catch(() => {});
        await waitFor(async () => {
          const seen = await (await fetch(url(`/plain/closed?id=${id}`))).json();
          return Array.isArray(seen) && seen.includes("req") && seen.includes("res");
        }, 5000);
      }
    },
  );

  test(
    undefined,
    "gives a reported 500 for a listener that throws, rejects, or finishes or closes without answering",
    async () => {
      for (const path of ["throw", "reject", "silent"]) {
        const response = await fetch(url(`/plain/${path}`));
        expect([path, response.status, await response.text()]).toEqual([path, 500, "Internal Server Error"]);
      }
      await waitFor(
        () => /listener threw/.test(server().stderr()) && /finished without answering/.test(server().stderr()),
      );
      expect(server().stderr()).toMatch(/listener rejected/);
      // And the server goes on.
      expect(await (await fetch(url("/plain/status"))).text()).toBe("custom");
    },
  );

  test("destroy", "gives a reported 500 for a listener that closes the connection without answering", async () => {
    const response = await fetch(url("/plain/destroy"));
    expect([response.status, await response.text()]).toEqual([500, "Internal Server Error"]);
    await waitFor(() => /closed the connection without answering/.test(server().stderr()));
  });

  test("cut", "cuts the response when the listener destroys it halfway, and goes on", async () => {
    const response = await fetch(url("/plain/cut")).catch((error: unknown) => error);
    // A buffered Lambda handler has the whole body to read before it answers: a cut one gets its 500.
    if (target.name.includes("buffered")) expect((response as Response).status).toBe(500);
    else if (response instanceof Response) await expect(response.text()).rejects.toThrow();
    expect(await (await fetch(url("/plain/status"))).text()).toBe("custom");
  });
});

// The conformance suite (CONTRACT.md §5): every adapter passes it unchanged. A server under test is a URL;
// each runtime's test file starts the real runtime and hands the suite a way to start a server.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Runtime } from "../../src/types.ts";
import { appHops, startHopUpstream, upstreamReplies } from "./hops.ts";
import type { Transport } from "./transport.ts";
import { bodyOf, rawRequest, waitFor, within } from "./wire.ts";

/** A server the suite can talk to and stop. */
export interface ServerUnderTest {
  url: string;
  /** Everything the server reported so far (its `onError` output). */
  stderr(): string;
  /** Graceful stop; resolves with the exit code (null where there is no process of its own). */
  stop(): Promise<number | null>;
}

export interface ConformanceTarget {
  /** Name in the test report, like `node24`. */
  name: string;
  /** What `ctx.runtime` must say. */
  runtime: Runtime;
  start(): Promise<ServerUnderTest>;
  /** Cases this runtime cannot pass, each with the reason (shown in the report and docs/runtimes.md). */
  cannot?: Partial<Record<CaseName, string>>;
  /** How the suite's requests reach the server; default Node's fetch over plain HTTP. */
  transport?: Transport;
}

export type CaseName =
  | "raw-wire"
  | "remote-address"
  | "graceful-close"
  | "body-limit-streamed"
  | "upload-streaming"
  | "content-length"
  | "response-error-cut"
  | "abort-before-response"
  | "abort-read-late"
  | "stream-cancel"
  | "unread-body-keep-alive"
  | "body-limit-declared"
  | "connection-close";

const MiB = 1024 * 1024;
function random(n: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(n);
  // getRandomValues fills at most 64 KiB a call.
  for (let at = 0; at < n; at += 65536) crypto.getRandomValues(bytes.subarray(at, at + 65536));
  return bytes;
}

// A chunked upload of 9 MiB, one more than the servers' limit, with no Content-Length to declare it.
function overTheLimit(): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= 9 * MiB) return controller.close();
      sent += 64 * 1024;
      controller.enqueue(new Uint8Array(64 * 1024));
    },
  });
}

export function conformance(target: ConformanceTarget): void {
  describe(`conformance: ${target.name}`, () => {
    let server: ServerUnderTest;
    let base: string;
    // Every request of the suite goes out this way: plain HTTP, HTTPS or HTTP/2 as the target says.
    const fetch = target.transport?.fetch ?? globalThis.fetch;
    const url = (path: string) => new URL(path, base).href;
    const get = (path: string, init?: RequestInit) => fetch(url(path), init);
    const can = (name: CaseName) => (target.cannot?.[name] ? it.skip : it);
    const aborted = async (id: string) => (await (await get(`/aborted?id=${id}`)).json()) as boolean | null;
    const reports = () => server.stderr().split("reported:").length - 1;
    // An error reported on purpose: once it shows, every report before it has too.
    const marker = async () => {
      const id = `marker-${Math.random()}`;
      expect((await get(`/report?id=${id}`)).status).toBe(500);
      await waitFor(() => server.stderr().includes(id));
    };
    const label = (name: CaseName, title: string) =>
      target.cannot?.[name] ? `${title} — cannot: ${target.cannot[name]}` : title;

    let upstream: Awaited<ReturnType<typeof startHopUpstream>>;

    beforeAll(async () => {
      upstream = await startHopUpstream();
      server = await target.start();
      base = server.url;
    }, 30_000);
    afterAll(async () => {
      upstream?.close();
      await server?.stop();
    });

    can("content-length")(label("content-length", "answers text with its length [§4.1-a]"), async () => {
      const response = await get("/hello");
      expect(response.status).toBe(200);
      expect(await response.text()).toBe("hello");
      expect(response.headers.get("content-length")).toBe("5");
    });

    it("answers JSON and gives ctx.runtime", async () => {
      const response = await get("/json");
      expect(response.headers.get("content-type")).toContain("application/json");
      expect(await response.json()).toEqual({ ok: true, runtime: target.runtime });
    });

    it("round-trips a binary request body exactly [§4.2-g]", async () => {
      const body = random(256 * 1024);
      const response = await get("/echo", { method: "PUT", body, headers: { "content-type": "application/x-test" } });
      expect(response.headers.get("content-type")).toBe("application/x-test");
      expect(response.headers.get("x-method")).toBe("PUT");
      expect(new Uint8Array(await response.arrayBuffer())).toEqual(body);
    });

    it("round-trips a UTF-8 text body", async () => {
      const text = "héllo wörld ✓ 🚀";
      const response = await get("/echo", {
        method: "POST",
        body: text,
        headers: { "content-type": "text/plain; charset=utf-8" },
      });
      expect(await response.text()).toBe(text);
    });

    it("leaves a request used and locked after each body method, a clone with the whole body too [§4.2-g]", async () => {
      const text = `${"x".repeat(1500)}é`;
      const body = JSON.stringify(text);
      const bytes = new TextEncoder().encode(body).byteLength;
      // Sent whole, and in two chunks (which a server may join into a pooled buffer it must not hand out).
      const halves = [body.slice(0, 700), body.slice(700)];
      const streamed = () =>
        new ReadableStream({
          pull(controller) {
            const half = halves.shift();
            if (half === undefined) controller.close();
            else controller.enqueue(new TextEncoder().encode(half));
          },
        });
      for (const read of ["text", "json", "arrayBuffer", "bytes"]) {
        for (const [clone, chunked] of [
          [false, false],
          [false, true],
          [true, true],
        ]) {
          halves.splice(0, 2, body.slice(0, 700), body.slice(700));
          const init = chunked ? { method: "POST", body: streamed(), duplex: "half" } : { method: "POST", body };
          const response = await get(`/body-state?read=${read}${clone ? "&clone" : ""}`, init as RequestInit);
          const sized = read === "arrayBuffer" || read === "bytes";
          expect(await response.json(), `${read}${clone ? " after a clone" : ""}${chunked ? ", chunked" : ""}`).toEqual(
            {
              text: body,
              length: sized ? bytes : undefined,
              whole: sized ? bytes : undefined,
              used: true,
              locked: true,
              again: "TypeError",
              // Bun's own Request copies a used body where the standard throws; tsgi's adapter has no say in it.
              rewrapped: target.runtime === "bun" ? "rewrapped" : "TypeError",
              cloned: clone ? body : null,
            },
          );
        }
      }
    });

    it("sends every byte value in a binary response [§4.4-a]", async () => {
      const body = new Uint8Array(await (await get("/binary")).arrayBuffer());
      expect(body).toEqual(Uint8Array.from({ length: 256 }, (_, i) => i));
    });

    it("keeps status codes and reason phrases [§4.3-a]", async () => {
      const created = await get("/status?code=201&body");
      expect(created.status).toBe(201);
      expect(await created.text()).toBe("body");
      expect((await get("/status?code=418&body")).status).toBe(418);
      expect((await get("/nowhere")).status).toBe(404);
    });

    it("keeps several Set-Cookie apart and other headers intact [§4.3-d]", async () => {
      const response = await get("/headers");
      expect(response.headers.getSetCookie()).toEqual([
        "a=1; Path=/",
        "b=2; HttpOnly",
        "c=3; Expires=Wed, 21 Oct 2026 07:28:00 GMT",
      ]);
      expect(response.headers.get("x-custom")).toBe("a, b");
      expect(response.headers.get("x-multi")).toBe("one, two");
      expect(response.headers.get("x-empty")).toBe("");
    });

    can("raw-wire")(label("raw-wire", "writes each Set-Cookie on its own line on the wire [§4.3-b]"), async () => {
      const { head } = await rawRequest(base, "GET /headers HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      expect(head.match(/^set-cookie:/gim)).toHaveLength(3);
    });

    it("passes request headers through, repeated ones joined [§4.2-b]", async () => {
      const headers = new Headers({ "x-one": "1", accept: "text/plain" });
      headers.append("x-repeat", "a");
      headers.append("x-repeat", "b");
      const seen = new Map(await (await get("/request-headers", { headers })).json());
      expect(seen.get("x-one")).toBe("1");
      expect(seen.get("x-repeat")).toBe("a, b");
      expect(seen.get("accept")).toBe("text/plain");
    });

    it("keeps percent-encoded and non-ASCII paths and queries intact [§4.2-a]", async () => {
      const path = "/url/caf%C3%A9/%E2%9C%93/a%2Fb%20c?q=%C3%A9t%C3%A9&a&b=1&b=2&plus=a+b";
      const seen = await (await get(path)).json();
      expect(seen.pathname).toBe("/url/caf%C3%A9/%E2%9C%93/a%2Fb%20c");
      expect(seen.search).toBe("?q=%C3%A9t%C3%A9&a&b=1&b=2&plus=a+b");
      expect(new URL(seen.url).host).toBe(new URL(base).host);
      const unicode = await (await get("/url/日本?k=ü")).json();
      expect(unicode.pathname).toBe("/url/%E6%97%A5%E6%9C%AC");
      expect(decodeURIComponent(unicode.search)).toBe("?k=ü");
    });

    it("gives request.url as the URL standard writes it: dot segments resolved, the host in lower case [§4.2-a]", async () => {
      const { port } = new URL(base);
      const target = "/url/a/../b/./c/%2e/d?q=x";
      const reply = await rawRequest(
        base,
        `GET ${target} HTTP/1.1\r\nHost: LocalHost:${port}\r\nConnection: close\r\n\r\n`,
      );
      const seen = JSON.parse(bodyOf(reply)) as { url: string; pathname: string };
      expect(seen.pathname).toBe("/url/b/c/d");
      expect(seen.url).toBe(new URL(seen.url).href);
      expect(new URL(seen.url).host).toBe(`localhost:${port}`);
    });

    it("streams a response body in chunks, each whole and in its place", async () => {
      // 4 MiB from a producer that never waits: more than a server may queue before it flushes (Node: 1 MiB).
      const size = 65536;
      const response = await get(`/stream?chunks=64&size=${size}`);
      const body = new Uint8Array(await response.arrayBuffer());
      expect(body.byteLength).toBe(64 * size);
      const misplaced = Array.from({ length: 64 }, (_, i) => i).filter((i) =>
        body.subarray(i * size, (i + 1) * size).some((byte) => byte !== 97 + (i % 26)),
      );
      expect(misplaced).toEqual([]);
    });

    it("sends each chunk as the application produces it, without waiting for the next [§4.4-f]", async () => {
      const id = `gate-${Math.random()}`;
      const decoder = new TextDecoder();
      try {
        const response = await within(5000, get(`/gated?id=${id}`), "the response head");
        const reader = response.body!.getReader();
        const first = await within(5000, reader.read(), "the first chunk");
        expect(decoder.decode(first.value)).toBe("first;");
        await get(`/open-gate?id=${id}`);
        let rest = "";
        for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
          rest += decoder.decode(chunk.value);
        expect(rest).toBe("second");
      } finally {
        await get(`/open-gate?id=${id}`).catch(() => {});
      }
    });

    can("raw-wire")(
      label(
        "raw-wire",
        "frames a proxied response itself: hop-by-hop headers from upstream stay off the wire [§4.3-e]",
      ),
      async () => {
        for (const [path, body] of upstreamReplies) {
          const to = encodeURIComponent(upstream.url + path);
          const reply = await rawRequest(base, `GET /proxy?to=${to} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, {
            timeout: 5000,
          });
          const head = reply.head.toLowerCase();
          expect(head, path).toMatch(/^http\/1\.1 200/);
          // RFC 9112 §6.3: one framing, never Transfer-Encoding and Content-Length together.
          expect(
            ["\r\ntransfer-encoding:", "\r\ncontent-length:"].filter((name) => head.includes(name)),
            head,
          ).toHaveLength(1);
          expect(head, path).not.toMatch(
            /\r\n(keep-alive|x-hop|proxy-connection|trailer):|\r\nconnection: *keep-alive/,
          );
          expect(bodyOf(reply), path).toBe(body);
        }
      },
    );

    can("raw-wire")(
      label("raw-wire", "keeps hop-by-hop headers the application set off the wire, however it set them [§4.3-e]"),
      async () => {
        for (const [how, body, kept] of appHops) {
          // Read until the body is in: workerd keeps the connection open after Connection: close.
          const reply = await rawRequest(base, `GET /hop?how=${how} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, {
            until: (raw) => raw.split("\r\n\r\n")[1]?.includes(body) === true,
          });
          const head = reply.head.toLowerCase();
          expect(head, how).toMatch(/^http\/1\.1 200/);
          if (kept) expect(head, how).toMatch(/\r\nx-kept: 1/);
          expect(head, how).not.toMatch(
            /\r\n(keep-alive|x-hop|proxy-connection|te|trailer|upgrade):|\r\nconnection: *keep-alive/,
          );
          expect(bodyOf(reply), how).toBe(body);
        }
      },
    );

    can("connection-close")(
      label("connection-close", "closes on Connection: close from the client, whatever the Response names [§4.3-e]"),
      async () => {
        const to = encodeURIComponent(`${upstream.url}sized`);
        const reply = await rawRequest(base, `GET /proxy?to=${to} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, {
          timeout: 5000,
        });
        expect(reply.head).toMatch(/^HTTP\/1\.1 200/);
        expect(reply.closedByServer).toBe(true);
      },
    );

    it("streams the request and response bodies at once", async () => {
      const parts = [random(1000), random(70_000), random(5)];
      const body = new ReadableStream({
        pull(controller) {
          const next = parts.shift();
          if (next) controller.enqueue(next);
          else controller.close();
        },
      });
      const response = await get("/echo-stream", { method: "POST", body, duplex: "half" } as RequestInit);
      expect((await response.arrayBuffer()).byteLength).toBe(71_005);
    });

    can("upload-streaming")(label("upload-streaming", "reads a 6 MiB upload as a stream [§4.2-c]"), async () => {
      const response = await get("/count", { method: "POST", body: random(6 * MiB) });
      expect(await response.json()).toEqual({ bytes: 6 * MiB });
    });

    can("body-limit-declared")(
      label("body-limit-declared", "answers 413 to a body over the limit declared by Content-Length [§4.5-e]"),
      async () => {
        const response = await get("/count", { method: "POST", body: new Uint8Array(9 * MiB) });
        expect(response.status).toBe(413);
        await response.arrayBuffer();
        expect((await get("/hello")).status).toBe(200);
      },
    );

    can("body-limit-streamed")(
      label("body-limit-streamed", "answers 413 to a streamed body that grows over the limit [§4.5-e]"),
      async () => {
        const body = overTheLimit();
        const id = `limit-${Math.random()}`;
        const response = await get(`/count?id=${id}`, { method: "POST", body, duplex: "half" } as RequestInit).catch(
          (error: unknown) => error,
        );
        // The server may answer 413 before the upload ends, or cut the upload after answering.
        if (response instanceof Response) expect(response.status).toBe(413);
        else expect(response).toBeInstanceOf(Error);
        // Either way the application saw the limit hit, and was never handed more than the 8 MiB limit.
        await waitFor(
          async () => ((await (await get(`/counted?id=${id}`)).json()) as { failed: boolean } | null)?.failed === true,
        );
        const counted = (await (await get(`/counted?id=${id}`)).json()) as { bytes: number };
        expect(counted.bytes).toBeLessThanOrEqual(8 * MiB);
        expect((await get("/hello")).status).toBe(200);
      },
    );

    can("body-limit-streamed")(
      label("body-limit-streamed", "answers 413 to a streamed body over the limit that a body method reads [§4.5-e]"),
      async () => {
        const body = overTheLimit();
        const response = await get("/echo", { method: "POST", body, duplex: "half" } as RequestInit).catch(
          (error: unknown) => error,
        );
        // The server may answer 413 before the upload ends, or cut the upload after answering.
        if (response instanceof Response) expect(response.status).toBe(413);
        else expect(response).toBeInstanceOf(Error);
        expect((await get("/hello")).status).toBe(200);
        expect(server.stderr()).not.toContain("BodyTooLarge");
      },
    );

    it("sends no body for HEAD, 204 and 304 [§4.4-c]", async () => {
      const head = await get("/hello", { method: "HEAD" });
      expect(head.status).toBe(200);
      expect(await head.text()).toBe("");
      const noContent = await get("/status?code=204");
      expect(noContent.status).toBe(204);
      expect(await noContent.text()).toBe("");
      expect((await get("/status?code=304")).status).toBe(304);
    });

    can("raw-wire")(label("raw-wire", "puts no body bytes on the wire after HEAD, 204 or 304 [§4.4-c]"), async () => {
      const request = (line: string) => `${line} HTTP/1.1\r\nHost: x\r\n\r\n`;
      const replies = await rawRequest(
        base,
        request("HEAD /hello") +
          request("GET /status?code=204") +
          request("GET /status?code=304") +
          request("GET /hello").replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n"),
      );
      // Four responses in order on one connection: any stray body would show up as garbage before the next status line.
      expect(replies.raw.match(/^HTTP\/1\.1 \d{3}/gm)?.map((line) => line.slice(9))).toEqual([
        "200",
        "204",
        "304",
        "200",
      ]);
      expect(replies.raw.endsWith("hello")).toBe(true);
    });

    it("answers 500 without internals when the application throws, and reports the error [§4.5-a, §4.5-b, §4.5-c]", async () => {
      for (const path of ["/throw", "/reject", "/not-response", "/response-error", "/used-body"]) {
        const response = await get(path);
        expect(response.status).toBe(500);
        const text = await response.text();
        expect(text).not.toMatch(/secret|passwd|\sat\s|\.ts/);
      }
      await waitFor(() =>
        ["secret internals", "secret rejection", "not a Response", "Response.error()", "already used"].every((text) =>
          server.stderr().includes(text),
        ),
      );
      expect((await get("/hello")).status).toBe(200);
    });

    can("response-error-cut")(
      label("response-error-cut", "cuts the connection when the response body fails midway [§4.4-e]"),
      async () => {
        const outcome = await get("/stream-error")
          .then((response) => response.arrayBuffer())
          .then(
            () => "complete",
            () => "cut",
          );
        expect(outcome).toBe("cut");
        expect((await get("/hello")).status).toBe(200);
      },
    );

    can("abort-before-response")(
      label("abort-before-response", "aborts request.signal when the client leaves before the response [§4.2-e]"),
      async () => {
        const id = `hang-${Math.random()}`;
        const client = new AbortController();
        const pending = get(`/hang?id=${id}`, { signal: client.signal }).catch(() => "left");
        await waitFor(async () => (await (await get(`/aborted?id=${id}`)).json()) === false);
        client.abort();
        expect(await pending).toBe("left");
        await waitFor(async () => (await (await get(`/aborted?id=${id}`)).json()) === true);
      },
    );

    can("abort-read-late")(
      label("abort-read-late", "aborts a request.signal first read after the client left [§4.2-e]"),
      async () => {
        const id = `later-${Math.random()}`;
        const client = new AbortController();
        const pending = get(`/signal-later?id=${id}`, { signal: client.signal }).catch(() => "left");
        await waitFor(async () => (await (await get(`/held?id=${id}`)).json()) === true);
        client.abort();
        expect(await pending).toBe("left");
        // Time for the server to see the connection close; the signal does not exist yet.
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(await (await get(`/release?id=${id}`)).json()).toBe(true);
        await waitFor(async () => (await aborted(id)) === true);
      },
    );

    it("reports nothing when a client leaves, before or during the response, even as its body fails [§4.5-d]", async () => {
      const before = reports();
      const [early, late] = [`quiet-${Math.random()}`, `quiet-${Math.random()}`];
      const leaving = new AbortController();
      const hanging = get(`/hang?id=${early}`, { signal: leaving.signal }).catch(() => "left");
      await waitFor(async () => (await aborted(early)) === false);
      leaving.abort();
      await hanging;
      // Where the runtime lets the application see the client leave, wait until it has.
      if (!target.cannot?.["abort-before-response"]) await waitFor(async () => (await aborted(early)) === true);
      const reading = new AbortController();
      const streaming = await get(`/sse?id=${late}`, { signal: reading.signal });
      await streaming.body!.getReader().read();
      reading.abort();
      if (!target.cannot?.["stream-cancel"]) await waitFor(async () => (await aborted(late)) === true);
      // A body that errors because the client left is the departure's doing, not the application's.
      const failing = `quiet-${Math.random()}`;
      const leavingStream = new AbortController();
      const failed = await get(`/fails-on-leave?id=${failing}`, { signal: leavingStream.signal });
      await failed.body!.getReader().read();
      leavingStream.abort();
      if (!target.cannot?.["abort-before-response"]) await waitFor(async () => (await aborted(failing)) === true);
      // Reports come in order: once the marker's is in, one for any departure would be too.
      await marker();
      expect(reports()).toBe(before + 1);
      expect((await get("/hello")).status).toBe(200);
    });

    it("never aborts request.signal after a normal finish [§4.2-f]", async () => {
      const id = `finish-${Math.random()}`;
      expect(await (await get(`/finish?id=${id}`)).text()).toBe("finished");
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await (await get(`/aborted?id=${id}`)).json()).toBe(false);
    });

    it("never aborts a request.signal first read after a normal finish [§4.2-f]", async () => {
      const id = `finish-later-${Math.random()}`;
      expect(await (await get(`/finish-signal-later?id=${id}`)).text()).toBe("finished");
      await waitFor(async () => (await aborted(id)) !== null);
      expect(await aborted(id)).toBe(false);
    });

    can("stream-cancel")(label("stream-cancel", "stops a streaming body when the client leaves [§4.4-d]"), async () => {
      const id = `sse-${Math.random()}`;
      const client = new AbortController();
      const response = await get(`/sse?id=${id}`, { signal: client.signal });
      const reader = response.body!.getReader();
      await reader.read();
      client.abort();
      await waitFor(async () => (await (await get(`/aborted?id=${id}`)).json()) === true);
    });

    it("does not make the server hold a whole response for a slow client [§4.4-b]", async () => {
      const id = `slow-${Math.random()}`;
      const path = `/stream?id=${id}&chunks=1024&size=65536`;
      // Over HTTP/2 what fills is the stream's flow-control window (RFC 9113 §5.2), not a socket buffer.
      const socket =
        target.transport?.name === "h2"
          ? await get(path).then((response) => ({ close: () => void response.body?.cancel() }))
          : await rawRequest(base, `GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`, { keepOpen: true, readNothing: true });
      const pulledSoFar = async () => ((await (await get(`/pulled?id=${id}`)).json()) as number | null) ?? 0;
      // The stream must have started, else a server that never sent it would pass.
      await waitFor(async () => (await pulledSoFar()) > 0);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const pulled = await pulledSoFar();
      socket.close();
      // 64 MiB on offer; only what fits in socket buffers may have been produced.
      expect(pulled * 65536).toBeLessThan(24 * MiB);
    });

    can("unread-body-keep-alive")(
      label("unread-body-keep-alive", "keeps a connection alive when the application ignores the body [§4.2-d]"),
      async () => {
        const body = "x".repeat(200_000);
        const replies = await rawRequest(
          base,
          `POST /ignore-body HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n${body}GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
        );
        expect(replies.raw.match(/HTTP\/1\.1 200/g)).toHaveLength(2);
        expect(replies.raw.endsWith("hello")).toBe(true);
      },
    );

    it("runs waitUntil work after the response, and reports its failures [§3.3-g, §4.6-a]", async () => {
      const id = `wait-${Math.random()}`;
      expect(await (await get(`/wait-until?id=${id}&delay=50&fail`)).text()).toBe("accepted");
      await waitFor(async () => (await (await get(`/wait-until-done?id=${id}`)).json()) === true);
      await waitFor(() => server.stderr().includes("waitUntil failure"));
    });

    it("gives the application its own Request and a complete ctx [§3.1-b]", async () => {
      const seen = await (await get("/ctx")).json();
      expect(seen).toMatchObject({
        runtime: target.runtime,
        waitUntil: "function",
        passThroughOnException: "function",
        instanceofRequest: true,
        cloned: true,
        env: "object",
      });
    });

    can("remote-address")(label("remote-address", "gives the client IP as ctx.remoteAddress [§3.3-b]"), async () => {
      const seen = await (await get("/ctx")).json();
      expect(seen.remoteAddress).toMatch(/^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/);
    });

    can("graceful-close")(
      label("graceful-close", "closes gracefully: requests in flight and waitUntil work finish first [§4.6-a, §4.6-b]"),
      async () => {
        const own = await target.start();
        const id = `close-${Math.random()}`;
        const slow = fetch(new URL("/stream?chunks=10&size=1000&delay=50", own.url)).then((response) =>
          response.arrayBuffer(),
        );
        await (await fetch(new URL(`/wait-until?id=${id}&delay=400`, own.url))).text();
        await new Promise((resolve) => setTimeout(resolve, 50));
        const stopped = own.stop();
        expect((await slow).byteLength).toBe(10_000);
        expect(await stopped).toBe(0);
        expect(own.stderr()).toContain(`waitUntil done: ${id}`);
      },
    );
  });
}

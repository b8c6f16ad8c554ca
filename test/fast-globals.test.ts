// fastGlobals' classes against Node's own: every case runs on both, and the outcomes (values, or the kind
// of error) must be the same. Then the globals installed in a child process, talking to a real server.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FastHeaders } from "../src/server/fast/headers.ts";
import { FastRequest } from "../src/server/fast/request.ts";
import { FastResponse } from "../src/server/fast/response.ts";
import { runtimeCommand } from "./runtimes.ts";

interface Classes {
  Request: typeof Request;
  Response: typeof Response;
  Headers: typeof Headers;
}
const native: Classes = { Request, Response, Headers };
const fast = {
  Request: FastRequest,
  Response: FastResponse,
  Headers: FastHeaders,
} as unknown as Classes;

/** What a case gives: its value, or the name of what it threw. */
async function outcome(run: (c: Classes) => unknown, classes: Classes): Promise<unknown> {
  try {
    return { value: await run(classes) };
  } catch (error) {
    return { threw: (error as Error).constructor.name };
  }
}

const stream = (...parts: string[]) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const part of parts) controller.enqueue(new TextEncoder().encode(part));
      controller.close();
    },
  });
const bytes = async (body: ReadableStream<Uint8Array> | null) =>
  body === null ? null : [...(await new Response(body).bytes())];
const sample = [
  ["B", "1"],
  ["a", " 2\t"],
  ["b", "3"],
  ["Set-Cookie", "x=1"],
  ["set-cookie", "y=2"],
] as [string, string][];

const cases: Record<string, (c: Classes) => unknown> = {
  "headers: sorted, combined, Set-Cookie apart": (c) => [...new c.Headers(sample)],
  "headers: get joins, getSetCookie splits": (c) => {
    const h = new c.Headers(sample);
    return [h.get("b"), h.get("SET-COOKIE"), h.getSetCookie(), h.get("none"), h.has("A")];
  },
  "headers: set replaces the first and drops the rest": (c) => {
    const h = new c.Headers([
      ["a", "1"],
      ["b", "2"],
      ["a", "3"],
    ]);
    h.set("A", "9");
    return [...h];
  },
  "headers: delete": (c) => {
    const h = new c.Headers(sample);
    h.delete("b");
    h.delete("nothing");
    return [...h.keys()];
  },
  "headers: a record": (c) => [...new c.Headers({ "X-One": "1", two: 2 as unknown as string })],
  "headers: copy of another Headers": (c) => [...new c.Headers(new c.Headers(sample))],
  "headers: from Node's own": (c) => [...new c.Headers(new Headers(sample))],
  "headers: forEach": (c) => {
    const seen: string[] = [];
    new c.Headers(sample).forEach((value, name) => {
      seen.push(`${name}=${value}`);
    });
    return seen;
  },
  "headers: an empty value": (c) => new c.Headers({ a: "" }).get("a"),
  "headers: latin-1 value": (c) => new c.Headers({ a: "é" }).get("a"),
  "headers: strips whitespace at a value's ends only": (c) => [
    ...new c.Headers([
      ["a", " \t1 2\t "],
      ["b", "\r\n"],
    ]),
  ],
  "headers: one name in several cases, first seen in any": (c) => {
    const h = new c.Headers([
      ["X-Case", "1"],
      ["x-case", "2"],
      ["X-CASE", "3"],
    ]);
    return [h.get("x-CaSe"), h.has("X-Case"), [...h]];
  },
  "headers: refuses a bad name": (c) => new c.Headers({ "a b": "1" }),
  "headers: refuses a bad name every time": (c) => {
    const refused = (): boolean => {
      try {
        new c.Headers({ "a b": "1" });
        return false;
      } catch (error) {
        return error instanceof TypeError;
      }
    };
    return [refused(), refused(), refused()];
  },
  "headers: refuses CR LF in a value": (c) => new c.Headers({ a: "1\r\nx: 2" }),
  "headers: refuses a char above 0xFF": (c) => new c.Headers({ a: "\u0100" }),
  "headers: refuses a pair of one": (c) => new c.Headers([["a"]] as unknown as [string, string][]),
  "headers: refuses a number": (c) => new c.Headers(5 as unknown as HeadersInit),
  "headers: refuses null": (c) => new c.Headers(null as unknown as HeadersInit),
  "headers: get refuses a bad name": (c) => new c.Headers().get("a b"),
  "headers: toStringTag": (c) => Object.prototype.toString.call(new c.Headers()),
  "response: text and its defaults": async (c) => {
    const r = new c.Response("héllo");
    return [r.status, r.ok, r.statusText, r.type, r.url, r.redirected, [...r.headers], await r.text(), r.bodyUsed];
  },
  "response: status, reason, headers": (c) => {
    const r = new c.Response("x", { status: 201, statusText: "Made", headers: { "Content-Type": "text/html" } });
    return [r.status, r.statusText, [...r.headers]];
  },
  "response: no body": async (c) => {
    const r = new c.Response(null, { status: 204 });
    return [r.body, r.bodyUsed, await r.text(), r.bodyUsed, [...r.headers]];
  },
  "response: bytes are copied": async (c) => {
    const given = new Uint8Array([1, 2, 3]);
    const r = new c.Response(given);
    given[0] = 9;
    return [[...(await r.bytes())], r.headers.get("content-type")];
  },
  "response: an ArrayBuffer": async (c) =>
    (await new c.Response(new Uint8Array([4, 5]).buffer).arrayBuffer()).byteLength,
  "response: a stream": async (c) => new c.Response(stream("a", "b")).text(),
  "response: a locked stream is refused": (c) => {
    const body = stream("a");
    body.getReader();
    return new c.Response(body);
  },
  "response: a Blob": async (c) => {
    const r = new c.Response(new Blob(["hi"], { type: "text/x" }));
    return [r.headers.get("content-type"), await r.text()];
  },
  "response: URLSearchParams": async (c) => {
    const r = new c.Response(new URLSearchParams({ a: "1" }));
    return [r.headers.get("content-type"), await r.text()];
  },
  "response: FormData round-trips": async (c) => {
    const form = new FormData();
    form.set("a", "b");
    return (await new c.Response(form).formData()).get("a");
  },
  "response: status out of range": (c) => new c.Response("x", { status: 99 }),
  "response: a fractional status": (c) => new c.Response("x", { status: 200.5 }).status,
  "response: a status as text": (c) => new c.Response("x", { status: "202" as unknown as number }).status,
  "response: a body on a 204": (c) => new c.Response("x", { status: 204 }),
  "response: a bad reason": (c) => new c.Response("x", { statusText: "a\nb" }),
  "response: init not an object": (c) => new c.Response("x", 5 as unknown as ResponseInit),
  "response: read twice": async (c) => {
    const r = new c.Response("x");
    await r.text();
    return r.text();
  },
  "response: body stream, then text": async (c) => {
    const r = new c.Response("abc");
    const chunk = await r.body!.getReader().read();
    return [chunk.value?.byteLength, r.bodyUsed, await r.text()];
  },
  "response: body after text is locked": async (c) => {
    const r = new c.Response("abc");
    await r.text();
    return [r.body === null, r.body?.locked, r.bodyUsed];
  },
  "response: same stream each time": (c) => {
    const r = new c.Response("abc");
    const first = r.body;
    return first === r.body;
  },
  "response: clone": async (c) => {
    const r = new c.Response("abc", { status: 202, headers: { a: "1" } });
    const copy = r.clone();
    return [await r.text(), await copy.text(), copy.status, [...copy.headers]];
  },
  "response: clone of a read one": async (c) => {
    const r = new c.Response("abc");
    await r.text();
    return r.clone();
  },
  "response: BOM and lone surrogates": async (c) => [
    await new c.Response("\ufeffhi").text(),
    await new c.Response("a\ud800b").text(),
    await new c.Response("\ufeff{}").json(),
  ],
  "response: bad JSON": (c) => new c.Response("{").json(),
  "response: blob type": async (c) =>
    (await new c.Response("x", { headers: { "content-type": "Text/Plain; A=B" } }).blob()).type,
  "response: headers are live": (c) => {
    const r = new c.Response("x");
    r.headers.set("x-a", "1");
    return [...r.headers];
  },
  "Response.json": async (c) => {
    const r = c.Response.json({ a: [1] }, { status: 201, headers: { "x-b": "2" } });
    return [r.status, [...r.headers], await r.json()];
  },
  "Response.json keeps a given type": (c) =>
    c.Response.json(1, { headers: { "Content-Type": "application/vnd+json" } }).headers.get("content-type"),
  "Response.json of undefined": (c) => c.Response.json(undefined),
  "Response.json of a BigInt": (c) => c.Response.json(1n),
  "Response.redirect": (c) => {
    const r = c.Response.redirect("http://x/y", 301);
    return [r.status, r.headers.get("location")];
  },
  "Response.redirect with a bad status": (c) => c.Response.redirect("http://x/", 200),
  "Response.error": (c) => [c.Response.error().status, c.Response.error().type],
  "request: a fresh one": async (c) => {
    const r = new c.Request("http://x/a?b", { method: "post", body: "hi", headers: { a: "1" } });
    return [r.method, r.url, [...r.headers], r.redirect, r.cache, r.mode, await r.text(), r.bodyUsed];
  },
  "request: GET with a body": (c) => new c.Request("http://x/", { body: "x" }),
  "request: a relative URL": (c) => new c.Request("/x"),
  "request: copy of a request with a body": async (c) => {
    const first = new c.Request("http://x/", { method: "PUT", body: stream("a", "b"), duplex: "half" } as RequestInit);
    const copy = new c.Request(first, { headers: { x: "1" } });
    return [copy.method, [...copy.headers], await copy.text(), first.bodyUsed];
  },
  "request: clone": async (c) => {
    const first = new c.Request("http://x/", { method: "POST", body: "ab" });
    const copy = first.clone();
    return [await first.text(), await copy.text()];
  },
  "request: body stream": async (c) => bytes(new c.Request("http://x/", { method: "POST", body: "ab" }).body),
  "request: a URL and the defaults": (c) => {
    const r = new c.Request(new URL("http://x/a b?c"));
    const { url, method, body, bodyUsed, redirect, cache, mode, credentials, referrer, integrity, keepalive } = r;
    return [
      url,
      method,
      [...r.headers],
      body,
      bodyUsed,
      redirect,
      cache,
      mode,
      credentials,
      referrer,
      integrity,
      keepalive,
    ];
  },
  "request: methods normalized or kept": (c) =>
    ["get", "Post", "patch", "DELETE", "options", "x-Custom"].map(
      (method) => new c.Request("http://x/", { method }).method,
    ),
  "request: a forbidden method": (c) => new c.Request("http://x/", { method: "trace" }),
  "request: a method that is not a token": (c) => new c.Request("http://x/", { method: "a b" }),
  "request: a URL with credentials": (c) => new c.Request("http://u:p@x/"),
  "request: HEAD with a body": (c) => new c.Request("http://x/", { method: "HEAD", body: "x" }),
  "request: GET with an empty body": (c) => new c.Request("http://x/", { body: "" }),
  "request: bytes are copied and typed by no one": async (c) => {
    const given = new Uint8Array([1, 2, 3]);
    const r = new c.Request("http://x/", { method: "POST", body: given });
    given[0] = 9;
    return [r.headers.get("content-type"), [...(await r.bytes())]];
  },
  "request: a given type stays": (c) => [
    ...new c.Request("http://x/", { method: "POST", body: "a", headers: { "Content-Type": "text/csv" } }).headers,
  ],
  "request: a stream body without duplex": (c) => new c.Request("http://x/", { method: "POST", body: stream("a") }),
  "request: a stream body with duplex": async (c) => {
    const body = stream("a", "b");
    const r = new c.Request("http://x/", { method: "POST", body, duplex: "half" } as RequestInit);
    return [r.body === body, await r.text(), r.bodyUsed];
  },
  "request: a locked stream": (c) => {
    const body = stream("a");
    body.getReader();
    return new c.Request("http://x/", { method: "POST", body, duplex: "half" } as RequestInit);
  },
  "request: headers from Node's own and a bad one": (c) => [
    [...new c.Request("http://x/", { headers: new Headers(sample) }).headers],
    (() => {
      try {
        return new c.Request("http://x/", { headers: { "a b": "1" } });
      } catch (error) {
        return (error as Error).constructor.name;
      }
    })(),
  ],
  "request: follows the signal it was given": (c) => {
    const controller = new AbortController();
    const r = new c.Request("http://x/", { signal: controller.signal });
    const before = r.signal.aborted;
    controller.abort("why");
    return [before, r.signal.aborted, r.signal.reason, r.signal === controller.signal];
  },
  "request: an aborted signal": (c) => {
    const r = new c.Request("http://x/", { signal: AbortSignal.abort("gone") });
    return [r.signal.aborted, r.signal.reason];
  },
  "request: a signal that is not one": (c) => new c.Request("http://x/", { signal: {} as AbortSignal }),
  "request: redirect manual": (c) => new c.Request("http://x/", { redirect: "manual" }).redirect,
  "request: a bad redirect": (c) => new c.Request("http://x/", { redirect: "never" as RequestRedirect }),
  "request: a bad duplex": (c) => new c.Request("http://x/", { duplex: "full" } as RequestInit),
  "request: another member": (c) => new c.Request("http://x/", { mode: "same-origin" }).mode,
  "request: members left undefined": async (c) => {
    const r = new c.Request("http://x/", { method: undefined, headers: undefined, body: null, signal: null });
    return [r.method, [...r.headers], r.body, await r.text()];
  },
  "request: a Blob body": async (c) => {
    const r = new c.Request("http://x/", { method: "POST", body: new Blob(["hi"], { type: "text/x" }) });
    return [r.headers.get("content-type"), await r.text()];
  },
  "request: a clone follows the signal": (c) => {
    const controller = new AbortController();
    const copy = new c.Request("http://x/", { signal: controller.signal }).clone();
    controller.abort("late");
    return [copy.signal.aborted, copy.signal.reason];
  },
};

describe("fastGlobals' classes behave as Node's own", () => {
  for (const [name, run] of Object.entries(cases)) {
    it(name, async () => {
      expect(await outcome(run, fast)).toEqual(await outcome(run, native));
    });
  }
});

describe("light requests, as the server makes them", () => {
  const light = (body: string | null, method = "POST") =>
    FastRequest.light({
      url: "http://x/p?q",
      method,
      headers: ["Host", "x", "Content-Type", "text/plain", "X-Twice", "1", "x-twice", "2"],
      body,
    }) as unknown as Request;

  it("new Request(url, init) is light for a common init, Node's own for a rare one", () => {
    const common = new FastRequest("http://x/", { method: "POST", body: "a", headers: { a: "1" } });
    const rare = new FastRequest("http://x/", { method: "POST", body: new Blob(["a"]) });
    expect([FastRequest.owns(common), FastRequest.owns(rare), rare instanceof Request]).toEqual([true, false, true]);
  });

  it("reads like a Request made of the same parts", async () => {
    const request = light("héllo");
    expect([request.url, request.method, request.headers.get("x-twice"), [...request.headers.keys()]]).toEqual([
      "http://x/p?q",
      "POST",
      "1, 2",
      ["content-type", "host", "x-twice"],
    ]);
    expect(await request.text()).toBe("héllo");
    expect(request.bodyUsed).toBe(true);
    await expect(request.text()).rejects.toThrow(TypeError);
  });

  it("hands its body to Node's own Request, and counts as read after", async () => {
    const request = light("moved");
    // What `new Request(request)` runs once the globals are installed.
    const copy = new FastRequest(request, { method: "PUT" }) as unknown as Request;
    expect(await copy.text()).toBe("moved");
    expect(copy.headers.get("host")).toBe("x");
    expect(request.bodyUsed).toBe(true);
  });

  it("keeps its signal lazy and clones follow it", async () => {
    const request = light(null, "GET");
    const copy = request.clone();
    const { abortRequest } = await import("../src/server/lazy-signal.ts");
    abortRequest(request, new Error("gone"));
    expect([request.signal.aborted, copy.signal.aborted]).toEqual([true, true]);
  });

  it("a null body reads as empty and stays unused", async () => {
    const request = light(null, "GET");
    expect([await request.text(), request.bodyUsed, request.body]).toEqual(["", false, null]);
  });
});

describe("fastGlobals' Headers under random edits", () => {
  const name = fc.constantFrom("a", "B", "set-cookie", "Set-Cookie", "x-y", "c");
  const value = fc.stringMatching(/^[ a-z0-9=;,\t]{0,6}$/);
  const edit = fc.oneof(
    fc.tuple(fc.constant("append"), name, value),
    fc.tuple(fc.constant("set"), name, value),
    fc.tuple(fc.constant("delete"), name, value),
  );

  it("iterate, get and getSetCookie as Node's own after any edits", () => {
    fc.assert(
      fc.property(fc.array(edit, { maxLength: 12 }), (edits) => {
        const results = [new Headers(), new FastHeaders() as unknown as Headers].map((headers) => {
          for (const [op, key, text] of edits) {
            if (op === "delete") headers.delete(key);
            else headers[op](key, text);
          }
          return [[...headers], headers.get("a"), headers.get("set-cookie"), headers.getSetCookie()];
        });
        expect(results[1]).toEqual(results[0]);
      }),
      { numRuns: 300 },
    );
  });
});

// The globals themselves, in a process of their own: a real server, fetch, instanceof both ways.
const script = `
import { createServer } from "node:http";
import { installFastGlobals } from "./src/server/fast/globals.ts";
const server = createServer((req, res) => {
  let body = "";
  req.on("data", (c) => (body += c)).on("end", () => res.end(req.method + " " + req.headers["x-a"] + " " + body));
}).listen(0, "127.0.0.1");
await new Promise((r) => server.once("listening", r));
const url = "http://127.0.0.1:" + server.address().port + "/";
const NativeResponse = Response;
installFastGlobals();
const out = {};
const fetched = await fetch(url);
out.fetchedIsResponse = fetched instanceof Response;
out.nativeIsResponse = new NativeResponse("x") instanceof Response;
out.fastIsResponse = new Response("x") instanceof Response;
out.plainIsNot = ({}) instanceof Response;
out.fetchText = await fetched.text();
const request = new Request(url, { method: "POST", body: "sent", headers: new Headers({ "x-a": "1" }) });
out.fetchRequest = await (await fetch(request)).text();
out.fetchHeadersInit = await (await fetch(url, { method: "PUT", body: "b", headers: new Headers({ "x-a": "2" }) })).text();
out.globalsAreTsgi = [Request.name, Response.name, Headers.name];
out.replaced = Response !== NativeResponse;
const { inspect } = await import("node:util");
out.shown = inspect(new Response("x", { status: 201 }), { breakLength: Infinity }).slice(0, 34);
server.close();
console.log(JSON.stringify(out));
`;

describe("installFastGlobals", () => {
  it("replaces the globals, and fetch and instanceof still work both ways", async () => {
    const [node, ...flags] = runtimeCommand("node24");
    const { stdout } = await promisify(execFile)(node, [...flags, "--input-type=module", "-e", script], {
      cwd: new URL("..", import.meta.url),
    });
    expect(JSON.parse(stdout)).toEqual({
      fetchedIsResponse: true,
      nativeIsResponse: true,
      fastIsResponse: true,
      plainIsNot: false,
      fetchText: "GET undefined ",
      fetchRequest: "POST 1 sent",
      fetchHeadersInit: "PUT 2 b",
      globalsAreTsgi: ["Request", "Response", "Headers"],
      replaced: true,
      shown: "Response { status: 201, statusText",
    });
  });
});

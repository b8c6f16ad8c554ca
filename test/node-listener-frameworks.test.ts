// Real applications through fromNodeListener on every target: Express 5 with its common middleware
// (body parsers, static files, cookie-parser, redirects, an error handler, an event stream) and Koa's callback.
import { expect } from "vitest";
import { rawRequest } from "./conformance/wire.ts";
import { onEveryTarget } from "./node-listener-targets.ts";

onEveryTarget((server, test, target) => {
  const url = (path: string): URL => new URL(path, server().url);

  test(undefined, "Express: a route, req.url under the mount, req.ip and req.protocol", async () => {
    const hello = await fetch(url("/express/hello"));
    expect([hello.status, hello.headers.get("x-powered-by"), await hello.text()]).toEqual([
      200,
      "Express",
      "hello from express",
    ]);
    const seen = await (await fetch(url("/express/request?q=1&q=2"), { headers: { cookie: "a=1; b=two" } })).json();
    expect(seen).toMatchObject({ url: "/request?q=1&q=2", path: "/request", query: { q: ["1", "2"] } });
    // Lambda's requests arrive over HTTPS: req.socket.encrypted says so, as a TLS socket would.
    expect(seen.protocol).toBe(target.name.startsWith("aws-lambda") ? "https" : "http");
    expect(seen.hostname).toBe(url("/").hostname);
    expect(seen.cookies).toEqual({ a: "1", b: "two" });
    const ctx = await (await fetch(url("/ctx"))).json();
    expect(seen.ip).toBe(ctx.remoteAddress);
  });

  test(undefined, "Express: express.json() and express.urlencoded() read the body", async () => {
    const json = await fetch(url("/express/json"), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ list: [1, 2], nested: { ok: true } }),
    });
    expect(json.status).toBe(201);
    expect(await json.json()).toEqual({ received: { list: [1, 2], nested: { ok: true } } });
    const form = await fetch(url("/express/form"), {
      method: "POST",
      body: new URLSearchParams({ name: "Ada Lovelace", lang: "en" }),
    });
    expect(await form.json()).toEqual({ received: { name: "Ada Lovelace", lang: "en" } });
  });

  test(undefined, "Express: res.cookie sets each cookie apart, and cookie-parser signs one", async () => {
    const response = await fetch(url("/express/cookies"));
    const cookies = response.headers.getSetCookie();
    expect(cookies).toHaveLength(3);
    expect(cookies[0]).toBe("session=abc; Path=/; HttpOnly");
    expect(cookies[1]).toMatch(/^signed=s%3Ayes\.[^;]+; Path=\/$/);
    expect(cookies[2]).toMatch(/^theme=dark; Max-Age=60; Path=\/; Expires=/);
  });

  test(undefined, "Express: a redirect and the error-handling middleware", async () => {
    const redirect = await fetch(url("/express/redirect"), { redirect: "manual" });
    expect([redirect.status, redirect.headers.get("location")]).toEqual([302, "hello"]);
    const failed = await fetch(url("/express/fail"));
    expect([failed.status, await failed.json()]).toEqual([418, { handled: "express route failed" }]);
    const missing = await fetch(url("/express/nothing-here"));
    expect(missing.status).toBe(404);
  });

  test("static-files", "Express: express.static() serves a file, with HEAD and a 304 on its ETag", async () => {
    const file = await fetch(url("/express/static/hello.txt"));
    expect([file.status, file.headers.get("content-type"), await file.text()]).toEqual([
      200,
      "text/plain; charset=utf-8",
      "static hello\n",
    ]);
    // fetch adds Cache-Control: no-cache to a conditional request (Fetch standard, HTTP-network-or-cache fetch),
    // which Express rightly answers in full: the conditional request goes over a raw connection.
    const etag = file.headers.get("etag")!;
    const again = await rawRequest(
      server().url,
      `GET /express/static/hello.txt HTTP/1.1\r\nHost: x\r\nIf-None-Match: ${etag}\r\nConnection: close\r\n\r\n`,
    );
    expect(again.head).toMatch(/^HTTP\/1\.1 304 /);
    expect(again.raw.slice(again.head.length + 4)).toBe("");
    const head = await fetch(url("/express/static/hello.txt"), { method: "HEAD" });
    expect([head.status, head.headers.get("content-length"), await head.text()]).toEqual([200, "13", ""]);
  });

  test("streaming", "Express: an event stream reaches the client event by event", async () => {
    const started = Date.now();
    const response = await fetch(url("/express/events"));
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const seen: number[] = [];
    let text = "";
    for await (const chunk of response.body!) {
      seen.push(Date.now() - started);
      text += new TextDecoder().decode(chunk);
    }
    expect(text.split("\n\n").filter(Boolean)).toHaveLength(3);
    expect(seen.at(-1)! - seen[0]).toBeGreaterThan(250);
  });

  test("koa", "Koa: app.callback() answers with its body, headers and two cookies", async () => {
    const response = await fetch(url("/koa/items?x=1"));
    expect(response.headers.get("x-koa")).toBe("yes");
    expect(response.headers.getSetCookie().map((cookie) => cookie.split(";")[0])).toEqual(["k1=v1", "k2=v2"]);
    expect(await response.json()).toEqual({ path: "/items", query: { x: "1" }, method: "GET" });
    const refused = await fetch(url("/koa/boom"));
    expect([refused.status, await refused.text()]).toEqual([422, "koa refused"]);
  });

  test(undefined, "a fetch route mounted beside the listeners answers as before", async () => {
    expect(await (await fetch(url("/elsewhere"))).text()).toBe("fetch route /elsewhere");
  });
});

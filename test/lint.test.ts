// lint() fed one deliberate violation per rule, through the in-process test client and through a real Node
// server on loopback; and a correct application, which it must let through untouched and silent.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serve } from "../adapters/node.ts";
import {
  compose,
  lint,
  LintError,
  lintRules,
  type LintFinding,
  type LintRuleId,
  type LintOptions,
} from "../src/index.ts";
import { createTestClient } from "../adapters/testing.ts";
import type { Context, Env, Handler, Middleware, Server } from "../src/types.ts";
import { conformanceApp } from "./conformance/app.ts";
import { conformance, type ServerUnderTest } from "./conformance/suite.ts";
import { waitFor } from "./conformance/wire.ts";

/** One deliberate violation: `app` breaks the application side, or `server` (above lint) the server side. */
interface Case {
  rule: LintRuleId;
  title: string;
  app: Handler;
  server?: Middleware;
  init?: RequestInit;
}

const ok: Handler = () => new Response("ok");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A server that gets one member of ctx wrong: every other member delegates to the real ctx. */
function ctxWith(member: keyof Context, value: unknown): Middleware {
  return (next) => (request, env, ctx) => {
    const { runtime, remoteAddress, props, platform, upgradeWebSocket } = ctx;
    const waitUntil = (promise: Promise<unknown>) => ctx.waitUntil(promise);
    const passThroughOnException = () => ctx.passThroughOnException();
    return next(request, env, {
      runtime,
      remoteAddress,
      props,
      platform,
      upgradeWebSocket,
      waitUntil,
      passThroughOnException,
      [member]: value,
    });
  };
}

/** A server that gets one member of the request wrong, on a real Request. */
function requestWith(member: string, value: unknown): Middleware {
  return (next) => (request, env, ctx) => next(Object.defineProperty(request, member, { value }), env, ctx);
}

/** A server with a WebSocket upgrade that gives `result`. */
function upgradeGiving(result: () => unknown): Middleware {
  return ctxWith("upgradeWebSocket", result);
}

const upgradeOf = (ctx: Context) =>
  ctx.upgradeWebSocket!(new Request("http://x/", { headers: { upgrade: "websocket" } }));

const cases: Case[] = [
  {
    rule: "§3.1-b",
    title: "a request that is a lookalike, not a Request",
    app: ok,
    server: (next) => (request, env, ctx) =>
      next({ url: request.url, method: "GET", headers: new Headers() } as Request, env, ctx),
  },
  { rule: "§3.1-c", title: "a relative request.url", app: ok, server: requestWith("url", "/relative") },
  { rule: "§3.1-d", title: "a request.method that is not a token", app: ok, server: requestWith("method", "GET /x") },
  {
    rule: "§3.2-a",
    title: "env that is null",
    app: ok,
    server: (next) => (request, _env, ctx) => next(request, null as unknown as Env, ctx),
  },
  { rule: "§3.3-a", title: "an unknown ctx.runtime", app: ok, server: ctxWith("runtime", "nodejs") },
  {
    rule: "§3.3-b",
    title: "a ctx.remoteAddress that is a number",
    app: ok,
    server: ctxWith("remoteAddress", 2130706433),
  },
  {
    rule: "§3.3-c",
    title: "a ctx.remoteAddress with a port (warning)",
    app: ok,
    server: ctxWith("remoteAddress", "127.0.0.1:51234"),
  },
  { rule: "§3.3-e", title: "a ctx without waitUntil", app: ok, server: ctxWith("waitUntil", undefined) },
  {
    rule: "§3.3-f",
    title: "ctx.waitUntil given a number",
    app: (_request, _env, ctx) => {
      ctx.waitUntil(42 as unknown as Promise<void>);
      return new Response("ok");
    },
  },
  {
    rule: "§3.3-h",
    title: "a ctx without passThroughOnException",
    app: ok,
    server: ctxWith("passThroughOnException", undefined),
  },
  {
    rule: "§3.3-i",
    title: "a ctx.upgradeWebSocket that is not a function",
    app: ok,
    server: ctxWith("upgradeWebSocket", true),
  },
  { rule: "§3.3-j", title: "ctx.props that is null", app: ok, server: ctxWith("props", null) },
  { rule: "§3.3-k", title: "a ctx without platform", app: ok, server: ctxWith("platform", undefined) },
  { rule: "§3.4-a", title: "an application that returns a string", app: () => "hello" as unknown as Response },
  { rule: "§3.4-b", title: "an application that returns Response.error()", app: () => Response.error() },
  {
    rule: "§3.4-c",
    title: "a header value with a control character that Headers lets through",
    app: () => new Response("ok", { headers: { "x-note": "a\x01b" } }),
  },
  {
    rule: "§3.4-d",
    title: "a statusText replaced with CR LF (response splitting)",
    app: () => Object.defineProperty(new Response("ok"), "statusText", { value: "OK\r\nX-Injected: yes" }),
  },
  {
    rule: "§3.4-e",
    title: "a response whose body was already read",
    app: async () => {
      const response = new Response("read already");
      await response.text();
      return response;
    },
  },
  {
    rule: "§3.4-f",
    title: "a Content-Length larger than the body",
    app: () => new Response("hello", { headers: { "content-length": "10" } }),
  },
  { rule: "§3.4-g", title: "a body on a response to HEAD (warning)", app: ok, init: { method: "HEAD" } },
  {
    rule: "§3.4-h",
    title: "a connection-specific header (warning)",
    app: () => new Response("ok", { headers: { "keep-alive": "timeout=5" } }),
  },
  {
    rule: "§3.4-i",
    title: "a body stream of strings",
    app: () => {
      const strings: ReadableStream<unknown> = new ReadableStream<string>({
        start: (controller) => {
          controller.enqueue("text");
          controller.close();
        },
      });
      return new Response(strings as ReadableStream<Uint8Array>);
    },
  },
  {
    rule: "§5-b",
    title: "an upgrade that gives no socket",
    app: (_request, _env, ctx) => upgradeOf(ctx).response,
    server: upgradeGiving(() => ({ socket: null, response: new Response(null) })),
  },
  {
    rule: "§5-c",
    title: "an application that upgrades, then returns another response",
    app: (_request, _env, ctx) => {
      upgradeOf(ctx);
      return new Response("no");
    },
    server: upgradeGiving(() => ({ socket: { send() {} }, response: new Response(null) })),
  },
];

/** A correct application that uses much of SPEC.md §3: lint must let all of it through, silently. */
const correct: Handler = async (request, env, ctx) => {
  const url = new URL(request.url);
  if (typeof env !== "object" || typeof ctx.remoteAddress !== "string") return new Response("bad env", { status: 500 });
  ctx.waitUntil(sleep(5));
  ctx.passThroughOnException();
  switch (url.pathname) {
    case "/json":
      return Response.json({ method: request.method, body: request.body ? await request.text() : null });
    case "/cookies": {
      const headers = new Headers({ "content-length": "7", "x-empty": "", "x-tab": "a\tb" });
      headers.append("set-cookie", "a=1; Path=/");
      headers.append("set-cookie", "b=2; HttpOnly");
      return new Response("cookies", { status: 201, statusText: "Made It", headers });
    }
    case "/stream":
      return new Response(new Blob(["chunk-1 ", "chunk-2"]).stream(), { headers: { "content-length": "15" } });
    case "/head":
      return new Response(request.method === "HEAD" ? null : "x".repeat(100), { headers: { "content-length": "100" } });
    case "/empty":
      return new Response(null, { status: 204 });
    default:
      return Response.redirect(new URL("/json", url), 303);
  }
};
const correctRequests: [string, RequestInit, number, string][] = [
  ["/json", { method: "POST", body: "posted" }, 200, `{"method":"POST","body":"posted"}`],
  ["/cookies", {}, 201, "cookies"],
  ["/stream", {}, 200, "chunk-1 chunk-2"],
  ["/head", { method: "HEAD" }, 200, ""],
  ["/empty", {}, 204, ""],
  ["/elsewhere", { redirect: "manual" }, 303, ""],
];

function collector(): { findings: LintFinding[]; options: LintOptions } {
  const findings: LintFinding[] = [];
  return {
    findings,
    options: { onViolation: (finding) => findings.push(finding), onWarning: (finding) => findings.push(finding) },
  };
}

const linted = (item: Case, options?: LintOptions): Handler =>
  compose(...(item.server ? [item.server] : []), lint(options))(item.app);

describe("lint through the test client", () => {
  it("has one case for every rule it checks", () => {
    expect(cases.map((item) => item.rule).sort()).toEqual(Object.keys(lintRules).sort());
    // The severities lintRules derives from its sentences' keywords are the ones these cases were written for.
    const warnings = cases.filter((item) => item.title.endsWith("(warning)")).map((item) => item.rule);
    const ids = Object.keys(lintRules) as LintRuleId[];
    expect(ids.filter((id) => lintRules[id].severity === "warning")).toEqual(warnings);
  });

  for (const item of cases) {
    it(`[${item.rule}] finds ${item.title}`, async () => {
      const { findings, options } = collector();
      const response = await createTestClient(linted(item, options)).fetch("/", item.init);
      await response.arrayBuffer().catch(() => {});
      await response.ctx.settled();
      expect(findings.map((finding) => finding.rule)).toEqual([item.rule]);
      const [finding] = findings;
      expect(finding.message.startsWith(`[${item.rule}] `)).toBe(true);
      expect(finding.severity).toBe(lintRules[item.rule].severity);
      expect(finding.section).toBe(item.rule.slice(0, item.rule.lastIndexOf("-")));
    });
  }

  it("throws a LintError for a violation by default: the client gets 500, the error names the rule", async () => {
    const response = await createTestClient(lint()(() => "hello" as unknown as Response)).fetch("/");
    expect(response.status).toBe(500);
    const [error] = response.errors;
    expect(error).toBeInstanceOf(LintError);
    expect((error as LintError).code).toBe("TSGI_LINT_VIOLATION");
    expect(String(error)).toBe("LintError: [§3.4-a] application returned a string, not a Response");
    expect((error as LintError).finding).toMatchObject({
      rule: "§3.4-a",
      section: "§3.4",
      severity: "violation",
      side: "application",
    });
  });

  it("treats warnings as violations when strict", async () => {
    const response = await createTestClient(lint({ strict: true })(ok)).fetch("/", { method: "HEAD" });
    expect(response.status).toBe(500);
    expect((response.errors[0] as LintError).finding.rule).toBe("§3.4-g");
  });

  it("lets a correct application through silently and unchanged", async () => {
    const { findings, options } = collector();
    const client = createTestClient(lint(options)(correct));
    for (const [path, init, status, body] of correctRequests) {
      const response = await client.fetch(path, init);
      expect([response.status, await response.text()]).toEqual([status, body]);
      await response.ctx.settled();
      expect(response.errors).toEqual([]);
    }
    const cookies = await client.fetch("/cookies");
    expect(cookies.headers.getSetCookie()).toEqual(["a=1; Path=/", "b=2; HttpOnly"]);
    expect(cookies.statusText).toBe("Made It");
    expect(cookies.ctx.passedThroughOnException).toBe(true);
    expect(findings).toEqual([]);
  });
});

describe("lint on a real Node server", () => {
  let server: Server;
  const reported: unknown[] = [];
  const warnings: LintFinding[] = [];
  // Each case at its own path; lint's defaults throw, so violations reach the server's onError.
  const handlers = new Map<string, Handler>(
    cases.map((item, index) => [`/case/${index}`, linted(item, { onWarning: (finding) => warnings.push(finding) })]),
  );
  handlers.set(
    "/correct",
    compose(lint({ onWarning: (finding) => warnings.push(finding) }))((request, env, ctx) =>
      correct(
        new Request(new URL(`/${new URL(request.url).searchParams.get("path")}`, request.url), request),
        env,
        ctx,
      ),
    ),
  );
  const found = () => [
    ...reported.map((error) => (error instanceof LintError ? error.finding.rule : String(error))),
    ...warnings.map((finding) => finding.rule),
  ];

  beforeAll(async () => {
    const dispatch: Handler = (request, env, ctx) =>
      (handlers.get(new URL(request.url).pathname) ?? ok)(request, env, ctx);
    server = await serve(dispatch, { port: 0, onError: (error) => reported.push(error) });
  });
  afterAll(() => server?.close());

  cases.forEach((item, index) => {
    it(`[${item.rule}] finds ${item.title}`, async () => {
      reported.length = 0;
      warnings.length = 0;
      const response = await fetch(new URL(`/case/${index}`, server.url), item.init);
      const outcome = await response.arrayBuffer().then(
        () => response.status,
        () => "cut",
      );
      await waitFor(() => found().length > 0, 2000);
      expect(found()).toEqual([item.rule]);
      // A violation becomes the fixed 500 of SPEC.md §4.5 (or a cut connection once the body streams).
      if (lintRules[item.rule].severity === "violation") expect([500, "cut"]).toContain(outcome);
      else expect(outcome).toBe(200);
    });
  });

  it("lets a correct application through silently on the wire", async () => {
    reported.length = 0;
    warnings.length = 0;
    for (const [path, init, status, body] of correctRequests) {
      const response = await fetch(new URL(`/correct?path=${path.slice(1)}`, server.url), init);
      expect([response.status, await response.text()]).toEqual([status, body]);
    }
    const cookies = await fetch(new URL("/correct?path=cookies", server.url));
    expect(cookies.headers.getSetCookie()).toEqual(["a=1; Path=/", "b=2; HttpOnly"]);
    await sleep(50);
    expect(found()).toEqual([]);
  });

  it("[§6-b] checks a middleware from both sides: lint before and after it", async () => {
    reported.length = 0;
    // A common middleware bug: spreading ctx copies its own fields but drops the methods on its prototype.
    const addUser: Middleware = (next) => (request, env, ctx) => next(request, env, { ...ctx, props: { user: "ada" } });
    const outer = collector();
    const inner = collector();
    const own = await serve(compose(lint(outer.options), addUser, lint(inner.options))(ok), {
      port: 0,
      onError: (error) => reported.push(error),
    });
    try {
      expect((await fetch(own.url)).status).toBe(200);
    } finally {
      await own.close();
    }
    expect(outer.findings).toEqual([]);
    expect(inner.findings.map((finding) => finding.rule)).toEqual(["§3.3-e", "§3.3-h"]);
  });
});

// The whole conformance suite with lint() between the real Node adapter and the conformance application:
// every request of every case is checked on both sides.
describe("lint around the conformance application on Node", () => {
  const reported: unknown[] = [];
  const warnings: LintFinding[] = [];
  const start = async (): Promise<ServerUnderTest> => {
    const server = await serve(lint({ onWarning: (finding) => warnings.push(finding) })(conformanceApp), {
      port: 0,
      maxBodySize: 8 * 1024 * 1024,
      onError: (error) => reported.push(error),
    });
    return {
      url: server.url,
      stderr: () =>
        reported.map((error) => `reported: ${error instanceof Error ? error.message : String(error)}`).join("\n"),
      stop: () => server.close().then(() => null),
    };
  };
  conformance({
    name: "node + lint",
    runtime: "node",
    start,
    cannot: { "graceful-close": "in-process, the application's own log lines do not reach stderr()" },
  });

  it("finds nothing but the application's deliberate faults", () => {
    const violations = reported.filter((error) => error instanceof LintError).map((error) => error.message);
    // The conformance application returns a plain object, Response.error() and a used body on purpose.
    expect(violations.sort()).toEqual([
      "[§3.4-a] application returned a Object, not a Response",
      "[§3.4-b] status 0 is not from 200 to 599 (Response.error() is for fetch, not servers)",
      "[§3.4-e] the response body is already used",
    ]);
    // Its /hello route answers HEAD with a body, and /proxy passes on an upstream's hop-by-hop headers: both on purpose.
    expect(new Set(warnings.map((finding) => finding.rule))).toEqual(new Set(["§3.4-g", "§3.4-h"]));
  });
});

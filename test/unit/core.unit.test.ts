// Unit tests of src/ that need nothing but web APIs (a server's Request carries Content-Length; here it is set by hand): the same file runs under Vitest, `deno test` and `bun test`.
import { limitRequest } from "../../src/server/body-limit.ts";
import { callApp } from "../../src/server/call-app.ts";
import { BodyTooLargeError } from "../../src/errors.ts";
import { isBodyless } from "../../src/no-body.ts";
import { listHoldsHopByHop } from "../../src/server/hop-by-hop.ts";
import { PendingWork } from "../../src/server/pending-work.ts";
import { forwardedAddress } from "../../src/server/remote-address.ts";
import type { Context } from "../../src/types.ts";
import { assertEqual, rejection, test } from "./harness.ts";

const chunked = (size: number, signal?: AbortSignal) =>
  new Request("http://x/upload", {
    method: "POST",
    body: new ReadableStream({
      start: (c) => {
        c.enqueue(new Uint8Array(size));
        c.close();
      },
    }),
    duplex: "half",
    signal,
  } as RequestInit);

test("limitRequest: a Content-Length over the limit throws BodyTooLargeError", () => {
  const request = new Request("http://x/", {
    method: "POST",
    body: "x".repeat(11),
    headers: { "content-length": "11" },
  });
  let thrown: unknown;
  try {
    limitRequest(request, 10);
  } catch (error) {
    thrown = error;
  }
  assertEqual(thrown instanceof BodyTooLargeError, true, "thrown BodyTooLargeError");
});

test("limitRequest: a declared length within the limit keeps the very same request", () => {
  const request = new Request("http://x/", {
    method: "POST",
    body: "x".repeat(10),
    headers: { "content-length": "10" },
  });
  assertEqual(limitRequest(request, 10) === request, true, "same request");
});

test("limitRequest: a body of unknown length is counted, in a real Request that keeps the signal", async () => {
  const abort = new AbortController();
  const limited = limitRequest(chunked(100, abort.signal), 10);
  assertEqual(limited instanceof Request, true, "instanceof Request");
  assertEqual([limited.method, limited.url], ["POST", "http://x/upload"]);
  assertEqual(
    (await rejection(limited.arrayBuffer())) instanceof BodyTooLargeError,
    true,
    "rejects with BodyTooLargeError",
  );
  const within = limitRequest(chunked(10, abort.signal), 10);
  assertEqual((await within.arrayBuffer()).byteLength, 10, "bytes within the limit");
  abort.abort();
  assertEqual(within.signal.aborted, true, "signal follows the original");
});

test("forwardedAddress: Forwarded first, then X-Forwarded-For", () => {
  assertEqual(forwardedAddress(new Headers({ forwarded: 'for="[2001:db8::1]:4711";proto=https' })), "2001:db8::1");
  assertEqual(forwardedAddress(new Headers({ "x-forwarded-for": "203.0.113.7, 10.0.0.1" })), "203.0.113.7");
  assertEqual(forwardedAddress(new Headers()), undefined);
});

test("isBodyless: HEAD, 1xx, 204 and 304", () => {
  assertEqual(
    [isBodyless("HEAD", 200), isBodyless("GET", 204), isBodyless("GET", 304), isBodyless("GET", 200)],
    [true, true, true, false],
  );
  assertEqual(
    [100, 101, 103, 199].map((status) => isBodyless("GET", status)),
    [true, true, true, true],
    "1xx",
  );
  assertEqual(
    [200, 201, 205, 299, 404, 500].map((status) => isBodyless("POST", status)),
    [false, false, false, false, false, false],
    "others",
  );
});

test("callApp: a throw becomes a reported 500, a 413 error stays the client's", async () => {
  const reported: unknown[] = [];
  const ctx = {} as Context;
  const failed = await callApp(
    () => {
      throw new Error("boom");
    },
    new Request("http://x/"),
    {},
    ctx,
    (error) => reported.push(error),
  );
  assertEqual([failed.status, reported.length], [500, 1]);
  const tooLarge = await callApp(
    () => Promise.reject(new BodyTooLargeError(1)),
    new Request("http://x/"),
    {},
    ctx,
    (error) => reported.push(error),
  );
  assertEqual([tooLarge.status, reported.length], [413, 1]);
});

test("callApp: finish takes every answer once, sync, async, thrown or unsendable", async () => {
  const seen: number[] = [];
  const finish = (response: Response) => {
    seen.push(response.status);
    return response;
  };
  const call = (handler: () => Response | Promise<Response>) =>
    callApp(handler, new Request("http://x/"), {}, {} as Context, () => {}, { finish });
  const sync = call(() => new Response("a", { status: 201 }));
  assertEqual(sync instanceof Response, true, "a sync answer stays sync");
  await call(() => Promise.resolve(new Response("b", { status: 202 })));
  await call(() => {
    throw new Error("boom");
  });
  await call(() => Promise.reject(new BodyTooLargeError(1)));
  await call(() => Response.error());
  assertEqual(seen, [201, 202, 500, 413, 500]);
});

test("listHoldsHopByHop: finds a hop-by-hop name in any case, nothing else", () => {
  assertEqual(listHoldsHopByHop([]), false, "empty");
  assertEqual(
    listHoldsHopByHop([
      ["Content-Type", "text/plain"],
      ["X-Hop", "1"],
    ]),
    false,
    "end-to-end only",
  );
  const hops = ["Connection", "keep-alive", "Transfer-Encoding", "TE", "trailer", "UPGRADE", "Proxy-Connection"];
  assertEqual(
    hops.map((name) =>
      listHoldsHopByHop([
        ["content-type", "text/plain"],
        [name, "x"],
      ]),
    ),
    hops.map(() => true),
    "each hop-by-hop name",
  );
});

test("PendingWork: settled waits for every promise and reports rejections", async () => {
  const reported: unknown[] = [];
  const work = new PendingWork((error) => reported.push(error));
  let done = false;
  work.add(new Promise((resolve) => setTimeout(resolve, 20)).then(() => (done = true)));
  work.add(Promise.reject(new Error("late failure")));
  await work.settled();
  assertEqual([done, reported.length, work.size], [true, 1, 0]);
});

// Property: for every front door, any header set, cookie set, query string (valueless parameters
// included) and body survives event → Request → application → Response → result.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { toLambdaHandler } from "../adapters/aws-lambda.ts";
import { mode } from "./lambda/mode.ts";
import {
  type LambdaResult,
  lambdaContext,
  resultBytes,
  resultCookies,
  resultHeaders,
  resultStatus,
} from "./lambda/context.ts";
import { eventFor, kinds, survivingQuery, type ClientRequest, type Kind } from "./lambda/events.ts";

const reserved = new Set([
  "host",
  "cookie",
  "content-length",
  "content-type",
  "transfer-encoding",
  "connection",
  "keep-alive",
  "upgrade",
  "trailer",
  "x-forwarded-for",
  "x-forwarded-proto",
  "set-cookie",
  "te",
  "expect",
]);
const token = fc.stringMatching(/^[a-z][a-z0-9-]{0,14}$/).filter((name) => !reserved.has(name));
const headerValue = fc.stringMatching(/^[!-~]([ -~]{0,30}[!-~])?$/);
const headerSet = fc.uniqueArray(fc.tuple(token, headerValue), { selector: ([name]) => name, maxLength: 8 });
const cookieSet = fc.array(
  fc
    .tuple(fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,8}$/), fc.stringMatching(/^[A-Za-z0-9%._-]{0,12}$/))
    .map(([n, v]) => `${n}=${v}`),
  { maxLength: 4 },
);
const part = fc.string({ unit: "grapheme", minLength: 1, maxLength: 8 }).map(encodeURIComponent);
const query = fc
  .array(fc.tuple(part, fc.option(fc.string({ unit: "grapheme", maxLength: 8 }).map(encodeURIComponent))), {
    maxLength: 6,
  })
  .map((list) => list.map(([name, value]) => (value === null ? name : `${name}=${value}`)).join("&"));
const path = fc
  .array(
    // No dot segment, even once an HTTP API has decoded a "/" inside one: the URL parser resolves those.
    fc
      .string({ unit: "grapheme", minLength: 1, maxLength: 8 })
      .filter((s) => !s.split("/").some((part) => part === "." || part === "..")),
    { maxLength: 4 },
  )
  .map((segments) => `/${segments.map(encodeURIComponent).join("/")}`);
const types = [
  "application/json",
  "text/plain; charset=utf-8",
  "text/html",
  "application/octet-stream",
  "image/png",
  "application/gzip",
];
const payload = fc.oneof(
  fc.uint8Array({ maxLength: 300 }),
  fc.string({ unit: "grapheme", maxLength: 100 }).map((text) => new TextEncoder().encode(text)),
);

const clientRequest = fc
  .record({
    method: fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH"),
    path,
    query,
    headers: headerSet,
    cookies: cookieSet,
    type: fc.constantFrom(...types),
    body: payload,
    sourceIp: fc.ipV4(),
  })
  .map(
    ({ method, type, body, headers, ...rest }): ClientRequest => ({
      ...rest,
      method,
      host: "api.example.com",
      headers: method === "GET" ? headers : [...headers, ["content-type", type]],
      body: method === "GET" ? null : body,
    }),
  );

const response = fc.record({
  status: fc.constantFrom(200, 201, 202, 400, 404, 418, 500, 503),
  headers: headerSet,
  cookies: fc.array(
    fc
      .tuple(cookieSet, fc.constantFrom("", "; Path=/; HttpOnly", "; Expires=Wed, 21 Oct 2026 07:28:00 GMT"))
      .map(([pairs, attrs]) => (pairs[0] ?? "k=v") + attrs),
    { maxLength: 4 },
  ),
  type: fc.constantFrom(...types),
  body: payload,
});

const onlyOneCookie = new Set<Kind>(["alb-single", "vpc-lattice"]);
const rawQuery = new Set<Kind>(["apigw-v2", "lambda-url", "lambda-edge"]);

describe.each(kinds)("%s", (kind) => {
  test("headers, cookies, query and body survive both ways", async () => {
    await fc.assert(
      fc.asyncProperty(clientRequest, response, async (client, answer) => {
        let seen: { request: Request; bytes: Uint8Array } | undefined;
        const handler = toLambdaHandler(
          async (request) => {
            seen = { request, bytes: new Uint8Array(await request.arrayBuffer()) };
            const headers = new Headers([...answer.headers, ["content-type", answer.type]]);
            for (const cookie of answer.cookies) headers.append("set-cookie", cookie);
            return new Response(answer.body, { status: answer.status, headers });
          },
          { onError: () => {}, fastGlobals: mode.fastGlobals },
        );
        const result = (await handler(eventFor(kind, client), lambdaContext())) as LambdaResult;

        const { request, bytes } = seen!;
        const url = new URL(request.url);
        expect(request.method).toBe(client.method);
        expect(decodeURIComponent(url.pathname)).toBe(decodeURIComponent(client.path));
        // As sent, up to what the URL parser itself escapes (WHATWG URL: ' in a special URL's query).
        if (rawQuery.has(kind))
          expect(url.search).toBe(client.query === "" ? "" : new URL(`https://x/?${client.query}`).search);
        // Map-shaped events keep each name's values in order, but a JSON object puts integer-like names first.
        const order = (list: [string, string][]) =>
          rawQuery.has(kind) ? list : [...list].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        expect(order([...url.searchParams])).toEqual(order(survivingQuery(kind, client.query)));
        for (const [name, value] of client.headers) expect(request.headers.get(name)).toBe(value);
        expect(request.headers.get("cookie")).toBe(client.cookies.length > 0 ? client.cookies.join("; ") : null);
        expect(bytes).toEqual(client.body ?? new Uint8Array(0));

        expect(resultStatus(result)).toBe(answer.status);
        const headers = resultHeaders(result);
        for (const [name, value] of answer.headers) expect(headers[name]).toBe(value);
        expect(headers["content-type"]).toBe(answer.type);
        expect(resultCookies(result)).toEqual(onlyOneCookie.has(kind) ? answer.cookies.slice(0, 1) : answer.cookies);
        expect(resultBytes(result)).toEqual(answer.body);
        expect("cookies" in result).toBe(
          kind === "apigw-v2" || kind === "lambda-url" ? answer.cookies.length > 0 : false,
        );
      }),
      { numRuns: 150 },
    );
  });
});

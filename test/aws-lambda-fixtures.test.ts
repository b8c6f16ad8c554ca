// Every event in test/fixtures/aws-lambda goes through the handler and yields the expected Request,
// ctx and result format; the non-HTTP and malformed ones get a named error and never reach the app.
import { describe, expect, test } from "vitest";
import { toLambdaHandler } from "../adapters/aws-lambda.ts";
import { TsgiError } from "../src/errors.ts";
import { mode } from "./lambda/mode.ts";
import type { Context } from "../src/types.ts";
import {
  fixtures,
  type LambdaResult,
  lambdaContext,
  resultBytes,
  resultCookies,
  resultStatus,
} from "./lambda/context.ts";

interface Seen {
  request: Request;
  ctx: Context;
  bytes: Uint8Array | null;
  form: [string, unknown][] | null;
}

const cookies = ["sid=abc; Path=/; HttpOnly; Secure", "theme=dark; Expires=Wed, 21 Oct 2026 07:28:00 GMT"];

/** A handler whose app records what it got and answers 201 with two cookies. */
function recording(options: { keepStage?: boolean } = {}) {
  const seen: Seen[] = [];
  const errors: unknown[] = [];
  const handler = toLambdaHandler(
    async (request, _env, ctx) => {
      const bytes = request.body === null ? null : new Uint8Array(await request.clone().arrayBuffer());
      const type = request.headers.get("content-type") ?? "";
      let form: [string, unknown][] | null = null;
      if (/multipart\/form-data|x-www-form-urlencoded/.test(type)) {
        form = [];
        for (const [name, value] of await request.formData()) {
          form.push([
            name,
            typeof value === "string" ? value : { filename: value.name, type: value.type, text: await value.text() },
          ]);
        }
      }
      seen.push({ request, ctx, bytes, form });
      const headers = new Headers({ "content-type": "application/json" });
      for (const cookie of cookies) headers.append("set-cookie", cookie);
      return new Response(JSON.stringify({ ok: true }), { status: 201, headers });
    },
    { ...options, fastGlobals: mode.fastGlobals, onError: (error) => errors.push(error) },
  );
  return { handler, seen, errors };
}

const all = fixtures();

describe("HTTP fixtures", () => {
  for (const { name, event, expected } of all.filter((f) => f.expected.expect !== "error")) {
    test(name, async () => {
      const { handler, seen, errors } = recording();
      const result = (await handler(event, lambdaContext())) as LambdaResult;
      // Only the cookie ALB single-value mode cannot carry is reported (tested below).
      expect(errors.filter((error) => (error as TsgiError).code !== "TSGI_LAMBDA_COOKIES_DROPPED")).toEqual([]);
      expect(seen).toHaveLength(1);
      const { request, ctx, bytes, form } = seen[0];
      const want = expected.request!;
      expect(request).toBeInstanceOf(Request);
      expect(request.method).toBe(want.method);
      const url = new URL(request.url);
      if (want.url === null) {
        expect(url.pathname).toBe(want.pathname);
        expect(url.search).toBe(want.search);
      } else {
        expect(request.url).toBe(want.url);
      }
      expect([...url.searchParams]).toEqual(want.query);
      expect(Object.fromEntries(request.headers)).toEqual(want.headers);
      if (want.body === null) expect(bytes).toBeNull();
      else if ("text" in want.body) {
        expect(new TextDecoder().decode(bytes!)).toBe(want.body.text);
        expect(bytes!.byteLength).toBe(want.body.byteLength);
      } else {
        expect(Buffer.from(bytes!).toString("base64")).toBe(want.body.base64);
        expect(bytes!.byteLength).toBe(want.body.byteLength);
      }
      if (want.formData) expect(form).toEqual(want.formData);
      expect(ctx.remoteAddress).toBe(expected.remoteAddress ?? undefined);
      expect(ctx.runtime).toBe("aws-lambda");
      expect((ctx.platform as { event: unknown }).event).toBe(event);

      // The answer is in the format of the front door, with no key it rejects.
      expect(resultStatus(result)).toBe(201);
      expect(JSON.parse(new TextDecoder().decode(resultBytes(result)))).toEqual({ ok: true });
      expect(result.isBase64Encoded).toBe(false);
      switch (expected.responseFormat) {
        case "apigw-v1":
          expect(Object.keys(result).sort()).toEqual([
            "body",
            "headers",
            "isBase64Encoded",
            "multiValueHeaders",
            "statusCode",
          ]);
          expect(result.multiValueHeaders!["set-cookie"]).toEqual(cookies);
          expect(result.headers!["set-cookie"]).toBeUndefined();
          break;
        case "apigw-v2":
          expect(Object.keys(result).sort()).toEqual(["body", "cookies", "headers", "isBase64Encoded", "statusCode"]);
          expect(result.cookies).toEqual(cookies);
          expect(result.headers!["set-cookie"]).toBeUndefined();
          break;
        case "alb-single":
          expect(Object.keys(result).sort()).toEqual([
            "body",
            "headers",
            "isBase64Encoded",
            "statusCode",
            "statusDescription",
          ]);
          expect(result.statusDescription).toBe("201 Created");
          expect(result.headers!["content-type"]).toBe("application/json");
          expect(resultCookies(result)).toEqual([cookies[0]]);
          break;
        case "alb-multi":
          expect(Object.keys(result).sort()).toEqual([
            "body",
            "isBase64Encoded",
            "multiValueHeaders",
            "statusCode",
            "statusDescription",
          ]);
          expect(result.statusDescription).toBe("201 Created");
          expect(result.multiValueHeaders!["content-type"]).toEqual(["application/json"]);
          expect(result.multiValueHeaders!["set-cookie"]).toEqual(cookies);
          break;
        default:
          throw new Error(`unknown responseFormat ${expected.responseFormat}`);
      }
    });
  }

  test("the stage is kept in the URL when the option says so", async () => {
    const withStage = all.filter((f) => f.expected.request?.urlWithStage);
    expect(withStage.length).toBeGreaterThan(4);
    const { handler, seen } = recording({ keepStage: true });
    for (const { event } of withStage) await handler(event, lambdaContext());
    expect(seen.map((s) => s.request.url)).toEqual(withStage.map((f) => f.expected.request!.urlWithStage));
  });

  test("ALB single-value mode keeps the first Set-Cookie and reports the ones dropped", async () => {
    const { handler, errors } = recording();
    const event = all.find((f) => f.name === "alb-get-query")!.event;
    const result = (await handler(event, lambdaContext())) as LambdaResult;
    expect(result.headers!["set-cookie"]).toBe(cookies[0]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: "TSGI_LAMBDA_COOKIES_DROPPED" });
  });
});

describe("events that are not HTTP, or malformed", () => {
  for (const { name, event, expected } of all.filter((f) => f.expected.expect === "error")) {
    test(`${name}: ${expected.looksLike}`, async () => {
      const { handler, seen } = recording();
      const error = await handler(event, lambdaContext()).then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(error).toBeInstanceOf(TsgiError);
      const { code, message } = error as TsgiError;
      expect(code).toBe(expected.kind === "malformed" ? "TSGI_LAMBDA_MALFORMED_EVENT" : "TSGI_LAMBDA_UNKNOWN_EVENT");
      expect(expected.errorMentionsAny!.some((word: string) => message.includes(word))).toBe(true);
      expect(seen).toHaveLength(0);
    });
  }
});

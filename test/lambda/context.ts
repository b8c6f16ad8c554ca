// Helpers for the Lambda tests: a context like the Node.js runtime's, the fixtures, and result readers.
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { LambdaContext } from "../../adapters/aws-lambda.ts";

export const fixtureDir = fileURLToPath(new URL("../fixtures/aws-lambda/", import.meta.url));

/** A context whose remaining time counts down from `budget` milliseconds, as Lambda's does. */
export function lambdaContext(budget = 30_000): LambdaContext {
  const deadline = Date.now() + budget;
  return {
    awsRequestId: "c6af9ac6-7b61-11e6-9a41-93e812345678",
    functionName: "tsgi-test",
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

/** What a fixture's `.expected.json` records (test/fixtures/aws-lambda/README.md). */
export interface Expected {
  event: string;
  kind: string;
  frontDoor?: string;
  responseFormat?: string;
  /** The Request the adapter must build; absent for the error fixtures. */
  request?: {
    method: string;
    url: string | null;
    pathname?: string;
    search?: string;
    urlWithStage?: string;
    query: [string, string][];
    headers: Record<string, string>;
    body: { text: string; byteLength: number } | { base64: string; byteLength: number } | null;
    formData?: [string, unknown][];
  };
  remoteAddress?: string | null;
  notes?: string[];
  expect?: "error";
  looksLike?: string;
  errorMentionsAny?: string[];
}

export interface Fixture {
  name: string;
  event: Record<string, unknown>;
  expected: Expected;
}

/** The fields of a payload 2.0 event (HTTP API, Function URL) that the tests change. */
export interface HttpApiEvent {
  headers: Record<string, string>;
  requestContext: { http: { method: string } };
}

/** A Lambda@Edge header line. */
export interface EdgeHeader {
  key?: string;
  value: string;
}

/** A buffered result in any front door's format; `body` is always a string, empty when there is none. */
export interface LambdaResult {
  /** Every format but Lambda@Edge. */
  statusCode?: number;
  /** Lambda@Edge. */
  status?: string;
  statusDescription?: string;
  /** Lambda@Edge: lists of lines; the others: one string per name. */
  headers?: Record<string, string | EdgeHeader[]>;
  multiValueHeaders?: Record<string, string[]>;
  cookies?: string[];
  body: string;
  isBase64Encoded?: boolean;
  bodyEncoding?: "text" | "base64";
}

/** Every fixture pair in test/fixtures/aws-lambda. */
export function fixtures(): Fixture[] {
  return readdirSync(fixtureDir)
    .filter((file) => file.endsWith(".expected.json"))
    .map((file) => {
      const expected = JSON.parse(readFileSync(fixtureDir + file, "utf8")) as Expected;
      return {
        name: file.replace(".expected.json", ""),
        expected,
        event: JSON.parse(readFileSync(fixtureDir + expected.event, "utf8")),
      };
    });
}

/** The body bytes of a buffered result, whichever format it is in. */
export function resultBytes(result: LambdaResult): Uint8Array {
  const base64 = result.isBase64Encoded === true || result.bodyEncoding === "base64";
  return new Uint8Array(Buffer.from(result.body ?? "", base64 ? "base64" : "utf8"));
}

/** The Set-Cookie values a front door would send for a buffered result. */
export function resultCookies(result: LambdaResult): string[] {
  if (Array.isArray(result.cookies)) return result.cookies;
  if (typeof result.status === "string")
    return ((result.headers?.["set-cookie"] ?? []) as EdgeHeader[]).map((line) => line.value);
  const multi = result.multiValueHeaders?.["set-cookie"];
  if (multi) return multi;
  const single = result.headers?.["set-cookie"];
  return single === undefined ? [] : [single as string];
}

/** The other response headers a front door would send, one string each. */
export function resultHeaders(result: LambdaResult): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof result.status === "string") {
    for (const [name, lines] of Object.entries(result.headers ?? {}))
      out[name] = (lines as EdgeHeader[]).map((line) => line.value).join(", ");
  } else {
    for (const [name, value] of Object.entries(result.headers ?? {})) out[name] = value as string;
    for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) out[name] = values.join(", ");
  }
  delete out["set-cookie"];
  return out;
}

/** The status of a buffered result, whichever format it is in. */
export function resultStatus(result: LambdaResult): number {
  return Number(result.statusCode ?? result.status);
}

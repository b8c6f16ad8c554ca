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

export interface Fixture {
  name: string;
  event: Record<string, unknown>;
  expected: Record<string, any>;
}

/** Every fixture pair in test/fixtures/aws-lambda. */
export function fixtures(): Fixture[] {
  return readdirSync(fixtureDir)
    .filter((file) => file.endsWith(".expected.json"))
    .map((file) => {
      const expected = JSON.parse(readFileSync(fixtureDir + file, "utf8"));
      return {
        name: file.replace(".expected.json", ""),
        expected,
        event: JSON.parse(readFileSync(fixtureDir + expected.event, "utf8")),
      };
    });
}

/** The body bytes of a buffered result, whichever format it is in. */
export function resultBytes(result: Record<string, any>): Uint8Array {
  const base64 = result.isBase64Encoded === true || result.bodyEncoding === "base64";
  return new Uint8Array(Buffer.from(result.body ?? "", base64 ? "base64" : "utf8"));
}

/** The Set-Cookie values a front door would send for a buffered result. */
export function resultCookies(result: Record<string, any>): string[] {
  if (Array.isArray(result.cookies)) return result.cookies;
  if (typeof result.status === "string")
    return (result.headers?.["set-cookie"] ?? []).map((line: { value: string }) => line.value);
  const multi = result.multiValueHeaders?.["set-cookie"];
  if (multi) return multi;
  const single = result.headers?.["set-cookie"];
  return single === undefined ? [] : [single];
}

/** The other response headers a front door would send, one string each. */
export function resultHeaders(result: Record<string, any>): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof result.status === "string") {
    for (const [name, lines] of Object.entries(result.headers ?? {}))
      out[name] = (lines as { value: string }[]).map((line) => line.value).join(", ");
  } else {
    for (const [name, value] of Object.entries(result.headers ?? {})) out[name] = value as string;
    for (const [name, values] of Object.entries(result.multiValueHeaders ?? {}))
      out[name] = (values as string[]).join(", ");
  }
  delete out["set-cookie"];
  return out;
}

/** The status of a buffered result, whichever format it is in. */
export function resultStatus(result: Record<string, any>): number {
  return Number(result.statusCode ?? result.status);
}

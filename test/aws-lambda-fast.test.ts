// The Lambda fixtures, property tests and streaming cases once more, with fastGlobals on: the handlers
// put tsgi's Request, Response and Headers in the globals, as a deployed one would.
import { mode } from "./lambda/mode.ts";

mode.fastGlobals = true;
await import("./aws-lambda-fixtures.test.ts");
await import("./aws-lambda-properties.test.ts");
await import("./aws-lambda-stream.test.ts");

const { expect, test } = await import("vitest");
const { FastResponse } = await import("../src/server/fast/response.ts");

test("the cases above ran with tsgi's classes in the globals", () => {
  expect(FastResponse.wire(new Response("x"))?.body).toBe("x");
  expect(Response.name).toBe("Response");
});

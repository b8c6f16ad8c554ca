// SPEC.md §5-a: Lambda's HTTP events cannot carry a WebSocket, so ctx.upgradeWebSocket is absent there.
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { toLambdaHandler } from "../adapters/aws-lambda.ts";
import { fixtureDir, lambdaContext } from "./lambda/context.ts";

it("has no ctx.upgradeWebSocket on aws-lambda, so an application can test for it [§5-a]", async () => {
  const handler = toLambdaHandler((_request, _env, ctx) =>
    Response.json({ upgrade: typeof ctx.upgradeWebSocket, runtime: ctx.runtime }),
  );
  const event = JSON.parse(readFileSync(`${fixtureDir}apigw-v2-get-query.json`, "utf8"));
  const result = (await handler(event, lambdaContext())) as { body: string };
  expect(JSON.parse(result.body)).toEqual({ upgrade: "undefined", runtime: "aws-lambda" });
});

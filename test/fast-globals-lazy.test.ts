// fastGlobals on Lambda leaves Node's fetch classes unloaded (undici costs most of a cold start) until the
// application needs one: a fresh process answers an event through mount without loading undici, then the rare paths
// (a Request of its own, fetch, Response.redirect) load Node's classes and behave as the standard says.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { runtimeCommand } from "./runtimes.ts";

const script = `
import { readFileSync } from "node:fs";
import { toLambdaHandler } from "./adapters/aws-lambda.ts";
import { mount } from "./src/mount.ts";
const undici = () => process.moduleLoadList.some((name) => name.includes("undici"));
const event = JSON.parse(readFileSync("test/fixtures/aws-lambda/apigw-v2-post-json-named-stage.json", "utf8"));
const context = { getRemainingTimeInMillis: () => 30000, awsRequestId: "x", functionName: "f" };
const out = {};
const app = async (request) => {
  out.lightIsRequest = request instanceof Request;
  return Response.json({ method: request.method, body: await request.json() }, { status: 201 });
};
// Through mount, whose rebased Request is light too.
const handler = toLambdaHandler(mount({ "/": app }), { fastGlobals: true });
const first = await handler(event, context);
out.first = [first.statusCode, JSON.parse(first.body)];
out.undiciAfterFirst = undici();
// The names are tsgi's; the property is still Node's own (reading it loads undici, as it always did).
out.namesAreTsgi = Response.name === "Response" && !Object.is(Response, globalThis.Response);

// The rare paths (a Blob body, fetch, Response.redirect) need Node's classes: the properties become tsgi's too. (node:http as
// an ES module would load undici itself, for its WebSocket export.)
const { createServer } = process.getBuiltinModule("node:http");
const server = createServer((req, res) => res.end(req.method + " " + req.url)).listen(0, "127.0.0.1");
await new Promise((resolve) => server.once("listening", resolve));
const url = "http://127.0.0.1:" + server.address().port + "/x";
const own = new Request(url, { method: "PUT", body: new Blob(["b"]) });
out.ownIsRequest = own instanceof Request;
out.propertiesAreTsgi = Object.is(Response, globalThis.Response) && Object.is(Request, globalThis.Request);
const fetched = await fetch(own);
out.fetched = [fetched instanceof Response, await fetched.text()];
out.redirect = [Response.redirect(url, 307).status, Response.redirect(url, 307) instanceof Response];
const second = await handler(event, context);
out.second = second.statusCode;
server.close();
console.log(JSON.stringify(out));
`;

describe.each(["node22", "node24"] as const)("fastGlobals on Lambda, %s", (runtime) => {
  it("answers without loading undici, and loads it when the application needs Node's classes", async () => {
    const [node, ...flags] = runtimeCommand(runtime);
    const { stdout } = await promisify(execFile)(node, [...flags, "--input-type=module", "-e", script], {
      cwd: new URL("..", import.meta.url),
    });
    expect(JSON.parse(stdout)).toEqual({
      lightIsRequest: true,
      first: [201, { method: "POST", body: expect.anything() }],
      undiciAfterFirst: false,
      namesAreTsgi: true,
      ownIsRequest: true,
      propertiesAreTsgi: true,
      fetched: [true, "PUT /x"],
      redirect: [307, true],
      second: 201,
    });
  });
});

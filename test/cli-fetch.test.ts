// `tsgi fetch`, run as the real command on Node 24 and 22, Deno and Bun: one request to the entry in-process,
// the answer on stdout, the exit code by its status, and the command line's one-line errors.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { expectOneLineError, scriptCommand, tsgi, tsgiBin } from "./cli-process.ts";
import type { RuntimeName } from "./runtimes.ts";

const dir = mkdtempSync(join(tmpdir(), "tsgi-fetch-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const entry = join(dir, "app.ts");
writeFileSync(
  entry,
  `import type { Context, Env } from "${join(import.meta.dirname, "../src/types.ts")}";

export default async function (request: Request, env: Env, ctx: Context): Promise<Response> {
  const url = new URL(request.url);
  switch (url.pathname) {
    case "/":
      return new Response(\`hello from \${ctx.runtime} \${url.search}\\n\`);
    case "/echo":
      return Response.json({
        method: request.method,
        header: request.headers.get("x-token"),
        type: request.headers.get("content-type"),
        body: await request.text(),
      });
    case "/head":
      return new Response("body", { status: 201, statusText: "Made", headers: [["set-cookie", "a=1"], ["set-cookie", "b=2"]] });
    case "/binary":
      return new Response(Uint8Array.from({ length: 256 }, (_, i) => i));
    case "/redirect":
      return Response.redirect("http://localhost/", 302);
    case "/missing":
      return new Response("no such thing\\n", { status: 404 });
    case "/throw":
      throw new Error("thrown on purpose");
    case "/later":
      ctx.waitUntil(new Promise((resolve) => setTimeout(resolve, 200)).then(() => console.error("later work done")));
      return new Response("answered");
    case "/big":
      return new Response("x".repeat(20_000_000));
    case "/env":
      return new Response(env.TSGI_FETCH_TEST ?? "unset");
  }
  return new Response("?", { status: 400 });
}
`,
);
const notApp = join(dir, "not-app.ts");
writeFileSync(notApp, "export default 42;\n");

const runtimes: RuntimeName[] = ["node24", "node22", "deno", "bun"];

for (const runtime of runtimes) {
  describe(`tsgi fetch on ${runtime}`, () => {
    it("prints the body of GET / and exits 0; the path and query reach the application", async () => {
      expect(await tsgi(runtime, ["fetch", entry])).toMatchObject({ code: 0, stdout: "hello from test \n" });
      expect(await tsgi(runtime, ["fetch", entry, "/?a=1&b"])).toMatchObject({
        code: 0,
        stdout: "hello from test ?a=1&b\n",
      });
    }, 30_000);

    it("sends -X, every -H and -d (POST by default with -d)", async () => {
      const args = ["fetch", entry, "/echo", "-H", "x-token: secret", "-H", "Content-Type: text/plain", "-d", "tea"];
      const posted = await tsgi(runtime, args);
      expect(posted.code).toBe(0);
      expect(JSON.parse(posted.stdout)).toEqual({ method: "POST", header: "secret", type: "text/plain", body: "tea" });
      const put = await tsgi(runtime, ["fetch", entry, "/echo", "-X", "put", "--data", "x"]);
      expect(JSON.parse(put.stdout)).toMatchObject({ method: "PUT", body: "x" });
    }, 30_000);

    it("-i prints the status line and each header first; HEAD prints no body", async () => {
      const result = await tsgi(runtime, ["fetch", entry, "/head", "-i"]);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^HTTP\/1\.1 201 Made\r\n/);
      expect(result.stdout).toContain("set-cookie: a=1\r\nset-cookie: b=2\r\n");
      expect(result.stdout.endsWith("\r\n\r\nbody")).toBe(true);
      const head = await tsgi(runtime, ["fetch", entry, "/head", "-X", "HEAD", "--include"]);
      expect(head.stdout.endsWith("\r\n\r\n")).toBe(true);
    }, 30_000);

    if (runtime === "node22") return;

    it("writes a binary body byte for byte, and exits 0 for a 3xx", async () => {
      const binary = await tsgi(runtime, ["fetch", entry, "/binary"], { encoding: "latin1" });
      expect([...Buffer.from(binary.stdout, "latin1")]).toEqual(Array.from({ length: 256 }, (_, i) => i));
      const redirect = await tsgi(runtime, ["fetch", entry, "/redirect", "-i"]);
      expect(redirect.code).toBe(0);
      expect(redirect.stdout).toMatch(/^HTTP\/1\.1 302 Found\r\n[\s\S]*location: http:\/\/localhost\/\r\n/);
    }, 30_000);

    it("exits 1 for a 4xx or 5xx, an application's error going to stderr", async () => {
      expect(await tsgi(runtime, ["fetch", entry, "/missing"])).toMatchObject({ code: 1, stdout: "no such thing\n" });
      const thrown = await tsgi(runtime, ["fetch", entry, "/throw"]);
      expect([thrown.code, thrown.stdout]).toEqual([1, "Internal Server Error"]);
      expect(thrown.stderr).toMatch(/^tsgi: application error: Error: thrown on purpose/);
    }, 30_000);

    it("waits for waitUntil work and passes the environment as env", async () => {
      const later = await tsgi(runtime, ["fetch", entry, "/later"]);
      expect([later.code, later.stdout, later.stderr]).toEqual([0, "answered", "later work done\n"]);
      const env = await tsgi(runtime, ["fetch", entry, "/env"], { env: { TSGI_FETCH_TEST: "from the env" } });
      expect(env.stdout).toBe("from the env");
    }, 30_000);

    it("stops quietly with its status's exit code when the reader of stdout goes (| head)", async () => {
      const [command, ...rest] = scriptCommand(runtime);
      const child = spawn(command, [...rest, tsgiBin, "fetch", entry, "/big"], { stdio: ["ignore", "pipe", "pipe"] });
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
      child.stdout.once("data", () => child.stdout.destroy());
      const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
      expect([code, stderr]).toEqual([0, ""]);
    }, 30_000);

    it("gives one-line errors for a bad command line, a missing entry and no application", async () => {
      expectOneLineError(await tsgi(runtime, ["fetch"]), 2, /missing <entry>/);
      expectOneLineError(await tsgi(runtime, ["fetch", entry, "-H", "no colon"]), 2, /-H needs 'name: value'/);
      expectOneLineError(await tsgi(runtime, ["fetch", entry, "/", "-d", "x", "-X", "GET"]), 2, /cannot have a body/);
      expectOneLineError(await tsgi(runtime, ["fetch", entry, "items"]), 2, /must start with '\/'/);
      expectOneLineError(
        await tsgi(runtime, ["fetch", entry, "--bogus"]),
        2,
        /unknown option '--bogus' for tsgi fetch/,
      );
      expectOneLineError(await tsgi(runtime, ["fetch", join(dir, "absent.ts")]), 1, /entry not found/);
      expectOneLineError(await tsgi(runtime, ["fetch", notApp]), 1, /not an application/);
      const help = await tsgi(runtime, ["fetch", "--help"]);
      expect([help.code, help.stdout]).toEqual([0, expect.stringContaining("tsgi fetch <entry> [path]")]);
    }, 60_000);
  });
}

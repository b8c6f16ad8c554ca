// The published package: `npm pack` output installs in a fresh folder and every entry point imports,
// with types, on the Node.js it promises; package.json, deno.json and the files on disk agree.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runtimeCommand } from "./runtimes.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const pkg = JSON.parse(readFileSync(`${root}package.json`, "utf8"));
const deno = JSON.parse(readFileSync(`${root}deno.json`, "utf8"));
type Conditions = Record<string, string>;
const subpaths = Object.keys(pkg.exports).filter((key) => key !== "./package.json");
const sourceOf = (built: string) => built.replace("./dist/", "./").replace(/\.js$/, ".ts");

describe("package", () => {
  let consumer: string;

  beforeAll(() => {
    execFileSync(process.execPath, [`${root}scripts/build.ts`], { cwd: root, stdio: "pipe" });
    consumer = mkdtempSync(join(tmpdir(), "tsgi-consumer-"));
    const tarball = execFileSync("npm", ["pack", "--ignore-scripts", "--pack-destination", consumer], {
      cwd: root,
      encoding: "utf8",
    })
      .trim()
      .split("\n")
      .pop()!;
    writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "consumer", type: "module", private: true }));
    execFileSync(
      "npm",
      ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", `./${tarball}`],
      { cwd: consumer, stdio: "pipe" },
    );
  }, 120_000);
  afterAll(() => rmSync(consumer, { recursive: true, force: true }));

  it("exports a types entry first and a file that exists for every subpath and condition", () => {
    for (const subpath of subpaths) {
      const conditions: Conditions = pkg.exports[subpath];
      expect(Object.keys(conditions)[0]).toBe("types");
      for (const target of Object.values(conditions))
        expect(existsSync(join(root, target)), `${subpath} → ${target}`).toBe(true);
    }
  });

  it("maps the same entry points in deno.json, to the sources", () => {
    expect(deno.version).toBe(pkg.version);
    expect(Object.keys(deno.exports).sort()).toEqual(subpaths.sort());
    for (const subpath of subpaths) expect(deno.exports[subpath]).toBe(sourceOf(pkg.exports[subpath].default));
  });

  it("imports every entry point from the installed package on Node 22 and 24", () => {
    const script = `${subpaths
      .map((subpath) => `Object.keys(await import("tsgi${subpath.slice(1)}")).length || process.exit(1);`)
      .join("\n")}\nconsole.log("ok");`;
    writeFileSync(join(consumer, "check.mjs"), script);
    for (const runtime of ["node22", "node24"] as const) {
      expect(execFileSync(runtimeCommand(runtime)[0], ["check.mjs"], { cwd: consumer, encoding: "utf8" }).trim()).toBe(
        "ok",
      );
    }
  });

  it("type-checks a consumer against the published declarations", () => {
    writeFileSync(
      join(consumer, "app.ts"),
      `import type { Handler, Middleware } from "tsgi";\nimport { compose } from "tsgi";\nimport { serve } from "tsgi/node";\nimport { createTestClient } from "tsgi/testing";\n` +
        `const app: Handler = (request, _env, ctx) => new Response(request.url + ctx.runtime);\nconst id: Middleware = (next) => next;\n` +
        `export const handler: Handler = compose(id)(app);\nexport const started: Promise<{ url: string }> = serve(app, { port: 0 });\nexport const client: unknown = createTestClient(app);\n`,
    );
    writeFileSync(
      join(consumer, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          module: "nodenext",
          moduleResolution: "nodenext",
          strict: true,
          noEmit: true,
          typeRoots: [`${root}node_modules/@types`],
          types: ["node"],
          lib: ["es2023", "dom"],
        },
        files: ["app.ts"],
      }),
    );
    execFileSync(`${root}node_modules/.bin/tsc`, ["-p", "tsconfig.json"], { cwd: consumer, stdio: "pipe" });
  });

  it("builds every target right after installing tsgi alone, and the built server answers", async () => {
    writeFileSync(
      join(consumer, "hello.ts"),
      `export default (request: Request): Response => new Response("built " + new URL(request.url).pathname);\n`,
    );
    const cli = join(consumer, "node_modules/tsgi/dist/bin/tsgi.js");
    const targets = ["node", "deno", "bun", "cloudflare", "aws-lambda"];
    const printed = execFileSync(
      runtimeCommand("node24")[0],
      [cli, "build", "hello.ts", "--target", targets.join(","), "--outdir", "out"],
      { cwd: consumer, encoding: "utf8" },
    );
    for (const target of targets) {
      expect(printed).toContain(join("out", target, "index.mjs"));
      expect(existsSync(join(consumer, "out", target, "index.mjs")), target).toBe(true);
    }
    const server = spawn(runtimeCommand("node24")[0], ["out/node/index.mjs"], {
      cwd: consumer,
      env: { ...process.env, PORT: "0", HOST: "127.0.0.1" },
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        server.stdout.on("data", (chunk: Buffer) => {
          const match = /listening on (\S+)/.exec(String(chunk));
          if (match) resolve(match[1]);
        });
        server.once("exit", (code) => reject(new Error(`the built server exited with ${code}`)));
      });
      expect(await (await fetch(new URL("/there", url))).text()).toBe("built /there");
    } finally {
      server.kill("SIGTERM");
    }
  }, 60_000);

  it("depends at run time on ws (WebSockets on Node) and esbuild (tsgi build) only", () => {
    expect(Object.keys(pkg.dependencies ?? {}).sort()).toEqual(["esbuild", "ws"]);
  });
});

// `tsgi build`: every example bundled for every target by the real command, and each output run where it
// deploys: the server scripts on Node 22 and 24, Deno and Bun over loopback, the Worker on workerd (through
// Miniflare) and past `wrangler deploy --dry-run`, the Lambda handlers invoked in-process with a v2 event.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { killAll, root, scriptCommand, startListening, tsgi, type Finished } from "./cli-process.ts";
import { installAwsLambda, received, ResponseStream } from "./lambda/awslambda.ts";
import { lambdaContext } from "./lambda/context.ts";
import { getEvent } from "./lambda/events.ts";
import type { RuntimeName } from "./runtimes.ts";

const out = mkdtempSync(join(tmpdir(), "tsgi-build-"));
afterAll(() => {
  killAll();
  rmSync(out, { recursive: true, force: true });
});

const TARGETS = ["node", "deno", "bun", "cloudflare", "aws-lambda"];

/** What each example must answer, as [path, expected body]; `{runtime}` stands for the runtime's name. */
const examples: Record<string, [string, string | object][]> = {
  hello: [
    ["/", "Hello from tsgi on {runtime}!\n"],
    ["/json", { hello: "world", runtime: "{runtime}" }],
  ],
  hono: [
    ["/", "Hello from Hono on tsgi!\n"],
    ["/users/5", { id: "5", path: "/users/5" }],
  ],
  mounted: [
    ["/", "Hello from tsgi on {runtime}!\n"],
    ["/api/users/5", { id: "5", path: "/users/5" }],
    ["/legacy/items/2", { item: "2" }],
  ],
};

function expected(body: string | object, runtime: string): string | object {
  return JSON.parse(JSON.stringify(body).replaceAll("{runtime}", runtime));
}

async function read(
  response: { status: number; text(): Promise<string>; json(): Promise<unknown> },
  like: string | object,
): Promise<unknown> {
  expect(response.status).toBe(200);
  return typeof like === "string" ? response.text() : response.json();
}

const builds: Record<string, Finished> = {};
beforeAll(async () => {
  await Promise.all(
    Object.keys(examples).map(async (name) => {
      builds[name] = await tsgi("node24", [
        "build",
        `examples/${name}.ts`,
        "--target",
        "node,deno,bun",
        "--target",
        "cloudflare,aws-lambda",
        "--outdir",
        join(out, name),
        "--minify",
      ]);
    }),
  );
  builds.streaming = await tsgi("node24", [
    "build",
    "examples/mounted.ts",
    "--target=aws-lambda",
    "--streaming",
    "--outdir",
    join(out, "streaming"),
  ]);
}, 60_000);

// Miniflare types its workers with Cloudflare's own types, which this project does not install.
const fetcher = (worker: unknown) => worker as { fetch(input: URL): Promise<Response> };

describe("tsgi build", () => {
  it("writes one bundle per target and prints each path with its size, raw and gzipped", () => {
    for (const name of Object.keys(examples)) {
      expect(builds[name]).toMatchObject({ code: 0, stderr: "" });
      const lines = builds[name].stdout.trimEnd().split("\n");
      expect(lines).toHaveLength(TARGETS.length);
      TARGETS.forEach((target, index) => {
        const path = join(out, name, target, "index.mjs");
        const bytes = readFileSync(path);
        const kb = (size: number): string => (size < 1024 ? `${size} B` : `${(size / 1024).toFixed(1)} KB`);
        expect(lines[index]).toMatch(
          new RegExp(
            `^  ${path.replaceAll(".", "\\.")}\\s+${kb(bytes.byteLength)}  \\(gzip ${kb(gzipSync(bytes).byteLength)}\\)$`,
          ),
        );
      });
    }
  });

  const runtimes: [RuntimeName, string][] = [
    ["node24", "node"],
    ["node22", "node"],
    ["deno", "deno"],
    ["bun", "bun"],
  ];
  for (const [runtime, target] of runtimes) {
    for (const [name, checks] of Object.entries(examples)) {
      it(`runs the ${target} output of examples/${name}.ts on ${runtime}, listening on $PORT and $HOST`, async () => {
        const server = await startListening([...scriptCommand(runtime), join(out, name, target, "index.mjs")], {
          cwd: out,
          env: { PORT: "0", HOST: "127.0.0.1" },
        });
        try {
          expect(server.output()).toMatch(
            new RegExp(`^tsgi: listening on http://127\\.0\\.0\\.1:\\d+/ \\(${target}\\)\\n`),
          );
          for (const [path, body] of checks)
            expect(await read(await fetch(new URL(path, server.url)), body)).toEqual(expected(body, target));
        } finally {
          expect(await server.stop("SIGTERM")).toBe(0);
        }
      });
    }
  }

  it("gives a server output's bad PORT or a taken port one line and exit 1", async () => {
    const bad = await runScript(join(out, "hello", "node", "index.mjs"), { PORT: "eighty" });
    expect([bad.code, bad.stderr]).toEqual([1, "tsgi: error: PORT must be a port number, got 'eighty'\n"]);
    const first = await startListening([...scriptCommand("node24"), join(out, "hello", "node", "index.mjs")], {
      env: { PORT: "0", HOST: "127.0.0.1" },
    });
    try {
      const port = new URL(first.url).port;
      const taken = await runScript(join(out, "hello", "node", "index.mjs"), { PORT: port });
      expect([taken.code, taken.stderr]).toEqual([
        1,
        `tsgi: error: port ${port} on 127.0.0.1 is already in use (choose another with --port)\n`,
      ]);
    } finally {
      await first.stop();
    }
  });

  it("makes a Lambda handler that answers a v2 event", async () => {
    for (const [name, checks] of Object.entries(examples)) {
      const { handler } = (await import(pathToFileURL(join(out, name, "aws-lambda", "index.mjs")).href)) as {
        handler: (
          event: unknown,
          context: unknown,
        ) => Promise<{ statusCode: number; body: string; isBase64Encoded?: boolean }>;
      };
      for (const [path, body] of checks) {
        const event = getEvent("apigw-v2", path, "203.0.113.9");
        const result = await handler(event, lambdaContext());
        expect(result.statusCode).toBe(200);
        const text = result.isBase64Encoded ? Buffer.from(result.body, "base64").toString() : result.body;
        expect(typeof body === "string" ? text : JSON.parse(text)).toEqual(expected(body, "aws-lambda"));
      }
    }
  });

  it("makes the streaming Lambda handler with --streaming", async () => {
    const uninstall = installAwsLambda();
    try {
      const { handler } = (await import(pathToFileURL(join(out, "streaming", "aws-lambda", "index.mjs")).href)) as {
        handler: (event: unknown, stream: ResponseStream, context: unknown) => Promise<void>;
      };
      const stream = new ResponseStream();
      await handler(getEvent("lambda-url", "/api/users/9", "203.0.113.9"), stream, lambdaContext());
      const { prelude, body } = received(stream);
      expect(prelude?.statusCode).toBe(200);
      expect(JSON.parse(body.toString())).toEqual({ id: "9", path: "/users/9" });
    } finally {
      uninstall();
    }
  });

  it("makes a module worker that runs on workerd", async () => {
    const { Log, LogLevel, Miniflare } = await import("miniflare");
    const names = Object.keys(examples);
    const mf = new Miniflare({
      // modulesRoot: module names are paths below it, and workerd refuses any that climb out with "..".
      workers: names.map((name) => ({
        name,
        modules: true,
        modulesRoot: join(out, name, "cloudflare"),
        scriptPath: join(out, name, "cloudflare", "index.mjs"),
        compatibilityDate: "2025-11-01",
      })),
      log: new Log(LogLevel.NONE),
    });
    try {
      for (const name of names) {
        const worker = fetcher(await mf.getWorker(name));
        for (const [path, body] of examples[name]) {
          const response = await worker.fetch(new URL(path, "http://example.com"));
          expect(await read(response, body)).toEqual(expected(body, "workerd"));
        }
      }
    } finally {
      await mf.dispose();
    }
  });

  it("gives a built Worker ctx.upgradeWebSocket, with nothing to turn on", async () => {
    const entry = join(out, "ws-entry.ts");
    writeFileSync(
      entry,
      `export { websocketApp as default } from ${JSON.stringify(`${root}test/conformance/websocket-app.ts`)};\n`,
    );
    const built = await tsgi("node24", ["build", entry, "--target", "cloudflare", "--outdir", join(out, "ws")]);
    expect(built.code, built.stderr).toBe(0);
    // Always in: the hello Worker, which never upgrades, carries the same socket.
    expect(readFileSync(join(out, "hello", "cloudflare", "index.mjs"), "utf8")).toContain("WebSocketPair");
    const { Log, LogLevel, Miniflare } = await import("miniflare");
    const mf = new Miniflare({
      modules: true,
      modulesRoot: join(out, "ws", "cloudflare"),
      scriptPath: join(out, "ws", "cloudflare", "index.mjs"),
      compatibilityDate: "2025-11-01",
      log: new Log(LogLevel.NONE),
    });
    try {
      const socket = new WebSocket(new URL("/ws/echo", await mf.ready).href.replace("http", "ws"));
      const echoed = await new Promise((resolve, reject) => {
        socket.onopen = () => socket.send("over workerd");
        socket.onmessage = (event) => resolve(event.data);
        socket.onerror = () => reject(new Error("WebSocket failed"));
      });
      expect(echoed).toBe("over workerd");
      socket.close();
    } finally {
      await mf.dispose();
    }
  }, 30_000);

  it("makes a worker with a wrangler.json that `wrangler deploy` takes as it is", async () => {
    const dir = join(out, "mounted", "cloudflare");
    expect(JSON.parse(readFileSync(join(dir, "wrangler.json"), "utf8"))).toMatchObject({
      name: "mounted",
      main: "index.mjs",
    });
    const wrangler = await runScript(
      `${root}node_modules/wrangler/bin/wrangler.js`,
      { WRANGLER_SEND_METRICS: "false" },
      ["deploy", "--dry-run", "--outdir", join(out, "wrangler")],
      dir,
    );
    expect(wrangler.stdout).toContain("--dry-run: exiting now.");
    expect(wrangler.code).toBe(0);
  }, 30_000);
});

function runScript(script: string, env: Record<string, string>, args: string[] = [], cwd = out): Promise<Finished> {
  return import("node:child_process").then(
    ({ execFile }) =>
      new Promise((resolve) => {
        execFile(
          scriptCommand("node24")[0],
          [script, ...args],
          { cwd, env: { ...process.env, HOST: "127.0.0.1", ...env }, timeout: 25_000 },
          (error, stdout, stderr) => {
            resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
          },
        );
      }),
  );
}

describe("tsgi build errors", () => {
  const fixtures = mkdtempSync(join(tmpdir(), "tsgi-build-bad-"));
  afterAll(() => rmSync(fixtures, { recursive: true, force: true }));
  const file = (name: string, source: string): string => {
    writeFileSync(join(fixtures, name), source);
    return join(fixtures, name);
  };
  const noDefault = file("no-default.ts", "export const app = () => new Response('x');\n");
  const missingImport = file("missing-import.ts", "import x from 'no-such-package';\nexport default x;\n");
  const usesFs = file(
    "uses-fs.ts",
    "import { readFileSync } from 'fs';\nexport default () => new Response(readFileSync('/etc/hostname'));\n",
  );

  it.concurrent.each([
    [["build", "examples/hello.ts"], 2, /missing --target/],
    [
      ["build", "examples/hello.ts", "--target", "node,vercel"],
      2,
      /unknown target 'vercel' \(expected node, deno, bun, cloudflare, aws-lambda\) \(see: tsgi build --help\)/,
    ],
    [
      ["build", "examples/hello.ts", "--target", "node", "--streaming"],
      2,
      /--streaming applies only to --target aws-lambda/,
    ],
    [["build", "--target", "node"], 2, /missing <entry>/],
    [["build", "nope.ts", "--target", "node"], 1, /entry not found: nope\.ts/],
    [["build", noDefault, "--target", "node"], 1, /no-default\.ts has no default export/],
    [
      ["build", missingImport, "--target", "bun"],
      1,
      /cannot build .*missing-import\.ts for bun: .*missing-import\.ts:1:\d+: Could not resolve "no-such-package"/,
    ],
  ] as const)("tsgi %j exits %i with one line", async (args, code, pattern) => {
    const result = await tsgi("node24", [...args, "--outdir", join(fixtures, "out")]);
    expect(result.code).toBe(code);
    expect(result.stderr).toMatch(/^tsgi: error: [^\n]*\n$/);
    expect(result.stderr).toMatch(pattern);
  });

  it("bundles a bare Node builtin for cloudflare as workerd's node: module, with nodejs_compat", async () => {
    const result = await tsgi("node24", ["build", usesFs, "--target", "cloudflare", "--outdir", join(fixtures, "fs")]);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    const config = JSON.parse(readFileSync(join(fixtures, "fs", "cloudflare", "wrangler.json"), "utf8"));
    expect(config.compatibility_flags).toEqual(["nodejs_compat"]);
    expect(readFileSync(join(fixtures, "fs", "cloudflare", "index.mjs"), "utf8")).toMatch(/from\s*"node:fs"/);
  });
});

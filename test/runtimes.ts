// Where the real runtimes live (all installed from the npm registry by `npm install`), and how a test
// starts the test server (test/servers/) on one and learns its URL.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import type { Readable } from "node:stream";
import type { Plugin } from "esbuild";
import { fileURLToPath } from "node:url";
import type { AdapterName } from "./servers/adapters.ts";
import type { AppName } from "./servers/apps.ts";
import { serverArgs, type ServerOptions } from "./servers/args.ts";

const root = fileURLToPath(new URL("..", import.meta.url));

export type RuntimeName = "node22" | "node24" | "deno" | "bun";

function firstExisting(paths: string[]): string {
  return paths.find((path) => existsSync(path)) ?? paths[paths.length - 1];
}

function denoBinary(): string {
  const scoped = `${root}node_modules/@deno`;
  const platforms = existsSync(scoped) ? readdirSync(scoped).map((dir) => `${scoped}/${dir}/deno`) : [];
  return firstExisting([...platforms, `${root}node_modules/.bin/deno`]);
}

/** The command line that runs a TypeScript file on each runtime. */
export function runtimeCommand(runtime: RuntimeName): string[] {
  switch (runtime) {
    case "node22":
    case "node24":
      // --expose-gc lets the memory checks collect before they measure.
      return [firstExisting([`${root}tools/node_modules/${runtime}/bin/node`, process.execPath]), "--expose-gc"];
    case "deno":
      return [denoBinary(), "run", "--allow-all", "--quiet", "--no-lock", "--v8-flags=--expose-gc"];
    case "bun":
      return [firstExisting([`${root}node_modules/bun/bin/bun.exe`, `${root}node_modules/.bin/bun`]), "run"];
  }
}

/** The adapter a runtime serves through unless a test asks for another. */
const ownAdapter: Record<RuntimeName, AdapterName> = { node22: "node", node24: "node", deno: "deno", bun: "bun" };

/** What a test server serves: an app of test/servers/apps.ts, with options on top of the app's own. */
export interface TestServer {
  app: AppName;
  options?: ServerOptions;
  /** Default: the runtime's own adapter; `"serve"` is tsgi/serve, which must find that adapter itself. */
  adapter?: AdapterName;
  /** Serve HTTPS with the test certificate (test/fixtures/tls/), as a built server takes TLS_CERT and TLS_KEY. */
  tls?: boolean;
}

/** A test server running in its own process. */
export interface RunningServer {
  url: string;
  process: ChildProcess;
  /** What the server printed on stderr so far: reported errors show up here. */
  stderr(): string;
  /** SIGTERM, then the exit code once it is gone. */
  stop(): Promise<number | null>;
  /** The exit code, once the process ends by itself. */
  exited: Promise<number | null>;
}

function tlsEnv(tls: boolean | undefined): Record<string, string> {
  const dir = `${root}test/fixtures/tls/`;
  return tls ? { TLS_CERT: `${dir}cert.pem`, TLS_KEY: `${dir}key.pem` } : { TLS_CERT: "", TLS_KEY: "" };
}

/**
 * Runs test/servers/server.ts for `server` on `runtime`; resolves with the URL it prints as its first
 * stdout line (`{"url": ...}`).
 */
export function startServer(
  runtime: RuntimeName,
  server: TestServer,
  env: Record<string, string> = {},
): Promise<RunningServer> {
  const [command, ...args] = runtimeCommand(runtime);
  const argv = [server.adapter ?? ownAdapter[runtime], ...serverArgs(server.app, server.options)];
  const label = `server.ts ${argv.join(" ")}${server.tls ? " (TLS)" : ""}`;
  const child = spawn(command, [...args, `${root}test/servers/server.ts`, ...argv], {
    cwd: root,
    env: { ...process.env, ...tlsEnv(server.tls), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let stdout = "";
    let listening = false;
    const timer = setTimeout(() => fail(new Error(`${runtime} ${label}: no URL within 20 s`)), 20_000);
    function fail(error: Error): void {
      if (listening) return;
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`${error.message}\n${stderr}`));
    }
    child.once("exit", (code) => fail(new Error(`${runtime} ${label} exited with ${code} before listening`)));
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk;
      const line = stdout.split("\n").find((candidate) => candidate.startsWith("{"));
      if (!line || listening) return;
      listening = true;
      clearTimeout(timer);
      resolve({
        url: (JSON.parse(line) as { url: string }).url,
        process: child,
        stderr: () => stderr,
        exited,
        stop() {
          if (child.exitCode === null) child.kill("SIGTERM");
          return exited;
        },
      });
    });
  });
}

// The app table holds the chat example, which imports node:fs only when asked for its page, the static-file
// app, which imports serveStatic (node:fs) on first use, and the listener tests' app (Express, Koa), loaded only
// when asked for: such a dynamic import becomes a module that throws, while a static one still fails the build,
// as workerd has no node:fs.
const lazyNodeBuiltins: Plugin = {
  name: "lazy-node-builtins",
  setup(esbuild) {
    esbuild.onResolve({ filter: /^node:|\/middleware\/static\.ts$|\/listeners\/app\.ts$/ }, ({ path, kind }) =>
      kind === "dynamic-import" ? { path, namespace: "no-node-builtins" } : undefined,
    );
    esbuild.onLoad({ filter: /.*/, namespace: "no-node-builtins" }, ({ path }) => ({
      contents: `throw new Error(${JSON.stringify(`${path}: workerd has no Node builtins`)});`,
    }));
  },
};

/**
 * Runs test/servers/worker.ts for `server` on workerd through Miniflare, which starts the real workerd
 * binary: bundled by esbuild with wrangler's conditions, served on loopback behind Miniflare's entry
 * worker (which stands in for Cloudflare's edge, as under `wrangler dev`). `stderr` is what the worker logs.
 */
export async function startWorker(
  server: Omit<TestServer, "adapter">,
  compatibilityFlags: string[] = [],
): Promise<Omit<RunningServer, "process" | "exited">> {
  const { build } = await import("esbuild");
  const bundle = await build({
    entryPoints: [`${root}test/servers/worker.ts`],
    define: { TSGI_TEST_SERVER_ARGS: JSON.stringify(serverArgs(server.app, server.options)) },
    plugins: [lazyNodeBuiltins],
    bundle: true,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    write: false,
    logLevel: "silent",
  });
  return runOnWorkerd(bundle.outputFiles[0].text, "2026-04-01", compatibilityFlags);
}

/**
 * A module worker's code run by Miniflare on the real workerd, on loopback. The code goes in as one module, so
 * Miniflare follows none of its imports (a built worker's computed `import()` names would stop it).
 */
export async function runOnWorkerd(
  code: string,
  compatibilityDate: string,
  compatibilityFlags: string[],
): Promise<{ url: string; stderr(): string; stop(): Promise<null> }> {
  const { Log, LogLevel, Miniflare } = await import("miniflare");
  let output = "";
  const mf = new Miniflare({
    modules: [{ type: "ESModule", path: "index.mjs", contents: code }],
    compatibilityDate,
    compatibilityFlags,
    host: "127.0.0.1",
    port: 0,
    log: new Log(LogLevel.NONE),
    handleRuntimeStdio(stdout: Readable, stderr: Readable) {
      stdout.on("data", (chunk: Buffer) => (output += chunk));
      stderr.on("data", (chunk: Buffer) => (output += chunk));
    },
  });
  const url = await mf.ready;
  return { url: url.href, stderr: () => output, stop: () => mf.dispose().then(() => null) };
}

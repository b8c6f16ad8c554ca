// `tsgi serve` and the command line's errors, run as real commands on Node 22 and 24, Deno and Bun and hit
// over loopback with fetch.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, get } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { expectOneLineError, killAll, serveOn, tsgi, type Started } from "./cli-process.ts";
import type { RuntimeName } from "./runtimes.ts";

const dir = mkdtempSync(join(tmpdir(), "tsgi-cli-"));
afterAll(() => {
  killAll();
  rmSync(dir, { recursive: true, force: true });
});

function fixture(name: string, source: string): string {
  const path = join(dir, name);
  writeFileSync(path, source);
  return path;
}

const slow = fixture(
  "slow.ts",
  `
export default async function (request: Request): Promise<Response> {
  if (new URL(request.url).pathname === "/slow") await new Promise((resolve) => setTimeout(resolve, 500));
  return new Response(\`\${process.pid} \${process.env.GREETING ?? "unset"}\`);
}
`,
);
const notApp = fixture("not-app.ts", "export default 42;\n");
const noDefault = fixture("no-default.ts", "export const app = () => new Response('x');\n");
const throws = fixture("throws.ts", "throw new Error('boom at import');\n");
// Answers whether tsgi's classes were in the globals when the entry loaded, and when it answers.
const wireOrder = fixture(
  "wire-order.ts",
  `export default () => new Response("x", { headers: [["x-b", "1"], ["x-a", "2"], ["x-a", "3"]] });\n`,
);
const globalsProbe = fixture(
  "globals.ts",
  `const atLoad = Symbol.for("tsgi.natives") in globalThis;
export default () => Response.json({ atLoad, now: Symbol.for("tsgi.natives") in globalThis });\n`,
);
const envFile = fixture(".env", "GREETING=hello from the env file\n");

const runtimes: [RuntimeName, string][] = [
  ["node24", "node"],
  ["node22", "node"],
  ["deno", "deno"],
  ["bun", "bun"],
];

for (const [runtime, name] of runtimes) {
  // Node 22 runs the same code as Node 24: one serve test there keeps its type stripping honest.
  const full = runtime !== "node22";
  describe(`tsgi serve on ${runtime}`, () => {
    it("serves the mounted example (Hono, itty-router, a handler) from TypeScript and says where", async () => {
      const server = await serveOn(runtime, "examples/mounted.ts");
      try {
        expect(server.output()).toMatch(
          new RegExp(`^tsgi: serving examples/mounted.ts on http://127\\.0\\.0\\.1:\\d+/ \\(${name}\\)\\n`),
        );
        expect(await (await fetch(server.url)).text()).toBe(`Hello from tsgi on ${name}!\n`);
        expect(await (await fetch(new URL("/api/users/7", server.url))).json()).toEqual({ id: "7", path: "/users/7" });
        expect(await (await fetch(new URL("/legacy/items/3", server.url))).json()).toEqual({ item: "3" });
      } finally {
        expect(await server.stop()).toBe(0);
      }
    });

    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      it.runIf(full)(`on ${signal} lets the request in flight finish, then exits 0`, async () => {
        const server = await serveOn(runtime, slow);
        const inFlight = fetch(new URL("/slow", server.url)).then((response) => response.text());
        await new Promise((resolve) => setTimeout(resolve, 150));
        const exited = server.stop(signal);
        expect(await inFlight).toMatch(/^\d+ unset$/);
        expect(await exited).toBe(0);
      });
    }

    it.runIf(full)("loads --env-file before the entry", async () => {
      const server = await serveOn(runtime, slow, ["--env-file", envFile]);
      try {
        expect(await (await fetch(server.url)).text()).toMatch(/^\d+ hello from the env file$/);
      } finally {
        await server.stop();
      }
    });

    it.runIf(full)(
      "says in one line that a default export is not an application, or that the port is taken",
      async () => {
        expectOneLineError(
          await tsgi(runtime, ["serve", notApp]),
          1,
          /default export of .*not-app\.ts is not an application: .* got a number/,
        );
        const taken = createServer();
        await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
        const { port } = taken.address() as AddressInfo;
        try {
          expectOneLineError(
            await tsgi(runtime, ["serve", "examples/hello.ts", "--port", String(port)]),
            1,
            new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`),
          );
        } finally {
          taken.close();
        }
      },
    );
  });
}

describe("tsgi command-line errors (Node 24)", () => {
  it.concurrent.each([
    [["frob"], 2, /unknown command 'frob' \(expected serve, build or fetch\) \(see: tsgi --help\)/],
    [["--frob"], 2, /unknown option '--frob'/],
    [
      ["serve", "examples/hello.ts", "--prot", "1"],
      2,
      /unknown option '--prot' for tsgi serve \(see: tsgi serve --help\)/,
    ],
    [["serve"], 2, /missing <entry>/],
    [["serve", "examples/hello.ts", "--port"], 2, /option '--port' needs a value/],
    [["serve", "examples/hello.ts", "--port", "99999"], 2, /--port must be a number from 0 to 65535, got '99999'/],
    [["serve", "examples/hello.ts", "--workers", "0"], 2, /--workers must be/],
    [["serve", "a.ts", "b.ts"], 2, /unexpected argument 'b.ts'/],
    [["serve", "missing.ts"], 1, /entry not found: missing\.ts/],
    [["serve", "examples"], 1, /entry is not a file: examples/],
    [["serve", noDefault], 1, /has no default export/],
    [["serve", throws], 1, /throws\.ts failed to load: boom at import/],
  ] as const)("tsgi %j exits %i", async (args, code, pattern) => {
    expectOneLineError(await tsgi("node24", [...args]), code, pattern);
  });

  it("says a missing --env-file in one line (Node itself checks the file first, nodejs/node#54232)", async () => {
    expectOneLineError(
      await tsgi("bun", ["serve", "examples/hello.ts", "--env-file", "nope.env"]),
      1,
      /cannot read --env-file nope\.env/,
    );
    const node = await tsgi("node24", ["serve", "examples/hello.ts", "--env-file", "nope.env"]);
    expect([node.code, node.stderr.trim().split("\n").length]).toEqual([9, 1]);
    expect(node.stderr).toMatch(/nope\.env: not found/);
  });

  it("says a port is in use in one line", async () => {
    const server = await serveOn("node24", "examples/hello.ts");
    try {
      const port = new URL(server.url).port;
      expectOneLineError(
        await tsgi("node24", ["serve", "examples/hello.ts", "--port", port]),
        1,
        new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`),
      );
    } finally {
      await server.stop();
    }
  });

  it("serves with --fast-globals on Node: tsgi's classes are in the globals before the entry loads", async () => {
    for (const [entry, args] of [
      [globalsProbe, ["--fast-globals"]],
      [globalsProbe, []],
      [globalsProbe, ["--fast-globals", "--workers", "2"]],
    ] as const) {
      const server = await serveOn("node24", entry, [...args]);
      try {
        const fast = args.length > 0;
        expect(await (await fetch(server.url)).json()).toEqual({ atLoad: fast, now: fast });
      } finally {
        expect(await server.stop()).toBe(0);
      }
    }
    const mounted = await serveOn("node24", "examples/mounted.ts", ["--fast-globals"]);
    try {
      expect(await (await fetch(new URL("/api/users/7", mounted.url))).json()).toEqual({ id: "7", path: "/users/7" });
    } finally {
      await mounted.stop();
    }
  });

  it("serves --fast-globals through the light path: a Response's headers go out as they were set", async () => {
    const server = await serveOn("node24", wireOrder, ["--fast-globals"]);
    try {
      const raw = await new Promise<string[]>((resolve, reject) => {
        get(server.url, (res) => {
          res.resume();
          resolve(res.rawHeaders.filter((_, i, all) => all[i - (i % 2)].startsWith("x-")));
        }).once("error", reject);
      });
      // Read back through a Headers, they would come sorted and joined: x-a "2, 3", then x-b.
      expect(raw).toEqual(["x-b", "1", "x-a", "2", "x-a", "3"]);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it("refuses --fast-globals on Deno and Bun in one line", async () => {
    for (const runtime of ["deno", "bun"] as const) {
      expectOneLineError(
        await tsgi(runtime, ["serve", "examples/hello.ts", "--fast-globals"]),
        2,
        /--fast-globals is for Node/,
      );
    }
  });

  it("prints help and the version", async () => {
    const help = await tsgi("node24", ["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(
      /^tsgi: .*\n\nUsage:\n {2}tsgi <command> \[options\]\n\nCommands:\n {2}serve <entry> .*\n {2}build <entry> /,
    );
    const serveHelp = await tsgi("node24", ["serve", "--help"]);
    expect(serveHelp.stdout).toMatch(/^Usage:\n {2}tsgi serve <entry> \[options\]/);
    for (const option of ["--port", "--host", "--env-file", "--watch", "--workers", "--tls-cert", "--tls-key"])
      expect(serveHelp.stdout).toContain(`  ${option} `);
    const buildHelp = await tsgi("node24", ["help", "build"]);
    expect(buildHelp.stdout).toMatch(/^Usage:\n {2}tsgi build <entry> --target <targets> \[options\]/);
    const none = await tsgi("node24", []);
    expect([none.code, none.stderr.startsWith("tsgi: ")]).toEqual([2, true]);
    expect((await tsgi("node24", ["--version"])).stdout).toMatch(/^tsgi \d+\.\d+\.\d+\n$/);
  });
});

/** One request on a fresh connection, so the kernel or the cluster may hand it to any worker. */
function pidOnNewConnection(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => (body += chunk));
      response.on("end", () => resolve(body.split(" ")[0]));
    }).on("error", reject);
  });
}

describe("tsgi serve --workers", () => {
  // Node's cluster; Deno's and Bun's reusePort (SO_REUSEPORT).
  it.each(["node24", "deno", "bun"] as const)(
    "runs two processes on one port on %s and stops both gracefully",
    async (runtime) => {
      const server = await serveOn(runtime, slow, ["--workers", "2"]);
      expect(server.output()).toMatch(
        new RegExp(`on http://127\\.0\\.0\\.1:\\d+/ \\(${runtime.replace("24", "")}, 2 workers\\)`),
      );
      const pids = new Set<string>();
      for (let i = 0; i < 20 && pids.size < 2; i++) pids.add(await pidOnNewConnection(server.url));
      expect(pids.size).toBe(2);
      const inFlight = fetch(new URL("/slow", server.url)).then((response) => response.status);
      await new Promise((resolve) => setTimeout(resolve, 150));
      const exited = server.stop("SIGTERM");
      expect(await inFlight).toBe(200);
      expect(await exited).toBe(0);
      for (const pid of pids) expect(() => process.kill(Number(pid), 0)).toThrow();
    },
  );

  it.each(["node24", "deno", "bun"] as const)(
    "stops with 0 on %s on a SIGTERM sent the moment it says it serves, and leaves no worker behind",
    async (runtime) => {
      // Five times: the signal and the line were a race the primary lost about one time in three.
      for (let round = 0; round < 5; round++) {
        const server = await serveOn(runtime, "examples/hello.ts", ["--workers", "2"]);
        expect(await server.stop("SIGTERM"), server.output()).toBe(0);
        // The primary leads its own process group (serveOn): no member of it may outlive it.
        expect(() => process.kill(-(server.child.pid as number), 0)).toThrow();
      }
    },
    30_000,
  );
});

function freePort(): Promise<number> {
  const server = createServer();
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    }),
  );
}

/** The exit code after SIGTERM, or "still running" once `ms` have passed. */
function stoppedWithin(server: Started, ms: number): Promise<number | null | string> {
  return Promise.race([server.stop(), new Promise<string>((resolve) => setTimeout(resolve, ms, "still running"))]);
}

describe("tsgi serve --watch", () => {
  for (const runtime of ["node24", "deno", "bun"] as const) {
    it(`restarts on ${runtime} when the entry changes, and stops on SIGTERM with 0`, async () => {
      const entry = fixture(`watched-${runtime}.ts`, 'export default () => new Response("version 1");\n');
      // A fixed port: the restarted server must come back where the first one was.
      const server = await serveOn(runtime, entry, ["--watch", "--port", String(await freePort())]);
      try {
        expect(await (await fetch(server.url)).text()).toBe("version 1");
        // Under --watch each request gets its logger() line.
        await expect.poll(server.output, { timeout: 5000 }).toMatch(/^GET \/ 200 9b \d+\.\dms$/m);
        let text = "";
        for (let i = 0; i < 50 && text !== "version 2"; i++) {
          // Written again until seen: a watcher that is still starting can miss one change.
          if (i % 10 === 0) writeFileSync(entry, 'export default () => new Response("version 2");\n');
          await new Promise((resolve) => setTimeout(resolve, 100));
          text = await fetch(server.url).then(
            (response) => response.text(),
            () => "",
          );
        }
        expect(text).toBe("version 2");
        expect(await stoppedWithin(server, 10_000), server.output()).toBe(0);
      } finally {
        server.kill();
      }
    }, 30_000);

    it(`stops on ${runtime} with 0 while the entry is broken and nothing serves`, async () => {
      const entry = fixture(`broken-${runtime}.ts`, 'export default () => new Response("working");\n');
      const server = await serveOn(runtime, entry, ["--watch"]);
      try {
        // Written again until seen: a watcher that is still starting can miss one change.
        for (let i = 0; i < 50 && !server.output().includes("broken on purpose"); i++) {
          if (i % 10 === 0) writeFileSync(entry, 'throw new Error("broken on purpose");\n');
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        expect(server.output()).toContain("broken on purpose");
        expect(await stoppedWithin(server, 5_000), server.output()).toBe(0);
      } finally {
        server.kill();
      }
    }, 30_000);
  }
});

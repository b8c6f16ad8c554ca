// Serving HTTPS beyond the conformance suite (test/tls.test.ts): what ALPN offers on each runtime, wss,
// a certificate that cannot be used, and TLS through `tsgi serve --tls-cert/--tls-key` (with --workers and
// --watch) and a built server's TLS_CERT/TLS_KEY.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { connect as http2Connect } from "node:http2";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect as tlsConnect } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket as WsClient } from "ws";
import { serve } from "../adapters/node.ts";
import { killAll, root, scriptCommand, serveOn, startListening, tsgi } from "./cli-process.ts";
import { tlsFixture, transport } from "./conformance/transport.ts";
import { type RuntimeName, runtimeCommand, startServer } from "./runtimes.ts";

const dir = tlsFixture.dir;
const pem = (file: string) => readFileSync(`${dir}${file}`, "utf8");
const tlsArgs = ["--tls-cert", `${dir}cert.pem`, "--tls-key", `${dir}key.pem`];
const https = transport("https").fetch;
const h2 = transport("h2").fetch;
const runtimes = ["node24", "deno", "bun"] as const;
/** Who offers HTTP/2 through ALPN (CONTRACT.md §9): node and deno; Bun.serve speaks HTTP/1.1 only. */
const offersH2: Record<(typeof runtimes)[number], boolean> = { node24: true, deno: true, bun: false };
/** What ALPN settles on for a client offering HTTP/1.1: Bun answers no ALPN at all, and HTTP/1.1 follows. */
const http1: Record<(typeof runtimes)[number], string | false> = { node24: "http/1.1", deno: "http/1.1", bun: false };

afterAll(killAll);

/** The protocol ALPN settles on when a client offers `protocols` to `url`. */
function alpn(url: string, protocols: string[]): Promise<string | false> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: hostname, port: Number(port), ca: tlsFixture.ca, ALPNProtocols: protocols });
    socket.once("secureConnect", () => {
      resolve(socket.alpnProtocol ?? false);
      socket.destroy();
    });
    socket.once("error", reject);
  });
}

/** A text and a binary message echoed over wss with the test CA, and the close code that ends it. */
function echoOverWss(url: string): Promise<{ text: string; binary: Buffer; closed: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WsClient(`${url.replace(/^https/, "wss")}ws/echo`, { ca: tlsFixture.ca });
    const seen: (string | Buffer)[] = [];
    ws.once("open", () => {
      ws.send("over TLS ✓");
      ws.send(Buffer.from([0, 1, 254, 255]));
    });
    ws.on("message", (data: Buffer, isBinary: boolean) => {
      seen.push(isBinary ? data : data.toString("utf8"));
      if (seen.length === 2) ws.close(1000);
    });
    ws.once("close", (closed: number) => resolve({ text: seen[0] as string, binary: seen[1] as Buffer, closed }));
    ws.once("error", reject);
  });
}

describe.each(runtimes)("HTTPS on %s", (runtime) => {
  it("serves https:// and offers HTTP/2 through ALPN where the runtime has it, HTTP/1.1 to the rest", async () => {
    const server = await startServer(runtime, { app: "conformance", tls: true });
    try {
      expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
      expect(await alpn(server.url, ["h2", "http/1.1"])).toBe(offersH2[runtime] ? "h2" : http1[runtime]);
      expect(await alpn(server.url, ["http/1.1"])).toBe(http1[runtime]);
      expect(await (await https(new URL("/hello", server.url))).text()).toBe("hello");
      if (offersH2[runtime]) {
        const seen = await (await h2(new URL("/url/a?b", server.url))).json();
        expect(seen.url).toBe(new URL("/url/a?b", server.url).href);
      }
      // Plain HTTP on the TLS port gets no answer in clear text.
      const plain = await fetch(server.url.replace(/^https/, "http")).then(
        (response) => response.status,
        () => "refused",
      );
      expect([400, "refused"]).toContain(plain);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it("keeps WebSockets working over TLS (wss://)", async () => {
    const server = await startServer(runtime, { app: "websocket", tls: true });
    try {
      expect(await echoOverWss(server.url)).toEqual({
        text: "over TLS ✓",
        binary: Buffer.from([0, 1, 254, 255]),
        closed: 1000,
      });
    } finally {
      await server.stop();
    }
  });

  it("says in one line when the key does not belong to the certificate, and exits 1", async () => {
    const run = await tsgi(runtime, [
      "serve",
      "examples/hello.ts",
      "--port",
      "0",
      "--tls-cert",
      `${dir}ca.pem`,
      "--tls-key",
      `${dir}key.pem`,
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      "tsgi: error: tls: cannot use the certificate and key: the key does not belong to the certificate\n",
    );
  });

  it("tsgi serve --tls-cert --tls-key serves HTTPS, and so does --workers 2", async () => {
    for (const extra of [[], ["--workers", "2"]]) {
      const server = await serveOn(runtime, "examples/hello.ts", [...tlsArgs, ...extra]);
      try {
        expect(server.output()).toMatch(/ on https:\/\/127\.0\.0\.1:\d+\//);
        const name = runtime.replace("24", "");
        expect(await (await https(server.url)).text()).toBe(`Hello from tsgi on ${name}!\n`);
        if (offersH2[runtime]) expect(await (await h2(server.url)).text()).toBe(`Hello from tsgi on ${name}!\n`);
      } finally {
        expect(await server.stop()).toBe(0);
      }
    }
  }, 30_000);
});

describe("tsgi serve with TLS: the command line", () => {
  it.each(runtimes)(
    "serves HTTPS under --watch on %s",
    async (runtime) => {
      const server = await serveOn(runtime, "examples/hello.ts", [...tlsArgs, "--watch"]);
      try {
        expect(server.url).toMatch(/^https:/);
        expect(await (await https(server.url)).text()).toBe(`Hello from tsgi on ${runtime.replace("24", "")}!\n`);
      } finally {
        expect(await server.stop()).toBe(0);
        server.kill();
      }
    },
    30_000,
  );

  it.each([
    [["--tls-cert", `${dir}cert.pem`], 2, "--tls-cert and --tls-key go together: give both files"],
    [
      ["--tls-cert", `${dir}nope.pem`, "--tls-key", `${dir}key.pem`],
      1,
      `cannot read --tls-cert ${dir}nope.pem: ENOENT`,
    ],
    [
      ["--tls-cert", `${dir}cert.pem`, "--tls-key", `${dir}key-encrypted.pem`],
      1,
      "tls: cannot use the certificate and key: the key cannot be read: encrypted with another passphrase, or none was given",
    ],
    [
      ["--tls-cert", `${dir}README.md`, "--tls-key", `${dir}key.pem`],
      1,
      "tls.cert must be PEM text (-----BEGIN CERTIFICATE-----), the file's contents rather than its path; got ",
    ],
  ])("%j: exit %i, one line", async (args, code, message) => {
    const run = await tsgi("node24", ["serve", "examples/hello.ts", "--port", "0", ...args]);
    expect(run.code).toBe(code);
    expect(run.stderr.split("\n").filter(Boolean)).toHaveLength(1);
    expect(run.stderr).toContain(`tsgi: error: ${message}`);
  });
});

describe("a built server script with TLS_CERT and TLS_KEY", () => {
  const out = mkdtempSync(join(tmpdir(), "tsgi-tls-build-"));
  beforeAll(async () => {
    const build = await tsgi("node24", ["build", "examples/hello.ts", "--target", "node,deno,bun", "--outdir", out]);
    expect(build.code, build.stderr).toBe(0);
  }, 60_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it.each([
    ["node24", "node"],
    ["deno", "deno"],
    ["bun", "bun"],
  ] as [RuntimeName, string][])("serves HTTPS on %s", async (runtime, target) => {
    const server = await startListening([...scriptCommand(runtime), join(out, target, "index.mjs")], {
      env: { PORT: "0", HOST: "127.0.0.1", TLS_CERT: `${dir}cert.pem`, TLS_KEY: `${dir}key.pem` },
    });
    try {
      expect(server.output()).toMatch(/^tsgi: listening on https:\/\/127\.0\.0\.1:\d+\/ /);
      expect(await (await https(server.url)).text()).toBe(`Hello from tsgi on ${target}!\n`);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });
});

describe("an encrypted key", () => {
  const script = (adapter: string) => `import { serve } from "${root}adapters/${adapter}.ts";
import { readFileSync } from "node:fs";
const read = (file) => readFileSync("${dir}" + file, "utf8");
try {
  const tls = { cert: read("cert.pem"), key: read("key-encrypted.pem"), passphrase: "tsgi-test" };
  const server = await serve(() => new Response("secret"), { port: 0, tls });
  console.log("listening on " + server.url);
} catch (error) {
  console.log("refused: " + error.message);
}`;

  it("is served with its passphrase on bun", async () => {
    const server = await startListening([runtimeCommand("bun")[0], "-e", script("bun")]);
    try {
      expect(await (await https(server.url)).text()).toBe("secret");
    } finally {
      await server.stop();
    }
  });

  it("is refused on deno, which takes only a plain key, with a line that says so", () => {
    const output = execFileSync(runtimeCommand("deno")[0], ["eval", script("deno")], { encoding: "utf8" });
    expect(output).toBe(
      "refused: tsgi/deno: Deno.serve takes no passphrase: give it the key decrypted (openssl pkey)\n",
    );
  });
});

describe("tsgi/node over TLS, in-process", () => {
  const app = () => new Response("secret");

  it("takes an encrypted key with its passphrase", async () => {
    const server = await serve(app, {
      port: 0,
      tls: { cert: pem("cert.pem"), key: pem("key-encrypted.pem"), passphrase: "tsgi-test" },
    });
    try {
      expect(await (await h2(server.url)).text()).toBe("secret");
    } finally {
      await server.close();
    }
  });

  it("rejects a path where PEM text belongs, before it listens", async () => {
    await expect(serve(app, { port: 0, tls: { cert: `${dir}cert.pem`, key: `${dir}key.pem` } })).rejects.toThrow(
      /^tsgi: tls\.cert must be PEM text .*the file's contents rather than its path/,
    );
  });

  it("refuses tls together with a server of one's own", async () => {
    const { createServer } = await import("node:http");
    await expect(
      serve(app, { port: 0, server: createServer(), tls: { cert: pem("cert.pem"), key: pem("key.pem") } }),
    ).rejects.toThrow(/give server or tls, not both/);
  });

  it("sends an idle HTTP/2 session GOAWAY after keepAliveTimeout, and close() ends an open one", async () => {
    const server = await serve(app, {
      port: 0,
      keepAliveTimeout: 300,
      tls: { cert: pem("cert.pem"), key: pem("key.pem") },
    });
    try {
      const idle = http2Connect(server.url, { ca: tlsFixture.ca });
      const goaway = new Promise((resolve) => idle.once("goaway", resolve));
      idle.on("error", () => {});
      const stream = idle.request({ ":path": "/" });
      stream.resume();
      await new Promise((resolve) => stream.once("end", resolve));
      const started = Date.now();
      await goaway;
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
      const open = http2Connect(server.url, { ca: tlsFixture.ca });
      open.on("error", () => {});
      await new Promise((resolve) => open.once("connect", resolve));
      const closedSession = new Promise((resolve) => open.once("close", resolve));
      await server.close();
      await closedSession;
    } finally {
      await server.close();
    }
  });
});

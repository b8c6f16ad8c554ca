// No request reads a file outside serveStatic's root: a battery of request targets over raw TCP (fetch and
// curl would normalise them first) with `..`, encoded dots, encoded and literal slashes and backslashes, NUL
// bytes, overlong paths and symlinks that lead out, on every server runtime. The server must stay up.
import { readFile } from "node:fs/promises";
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawRequest } from "./conformance/wire.ts";
import { type RunningServer, type RuntimeName, startServer } from "./runtimes.ts";
import { SECRET, type StaticFixture, staticFixture } from "./static/fixture.ts";

const dots = ["..", "%2e%2e", "%2E%2E", ".%2e", "%2e.", "%252e%252e", "%c0%ae%c0%ae", "..%00", "...."];
const separators = ["/", "%2f", "%2F", "%5c", "%5C", "\\", "%255c", "%c0%af", "/./", "//"];
const targets = ["secret.txt", "root-evil/secret.txt", "root/../secret.txt", "etc/passwd"];

/** Every request target the battery sends: each kind of dot-dot with each separator, 1 to 4 deep, two prefixes. */
function battery(): string[] {
  const paths = new Set<string>();
  for (const prefix of ["/", "/mounted/", "/sub/"])
    for (const dot of dots)
      for (const sep of separators)
        for (const depth of [1, 2, 4])
          for (const target of targets) {
            const up = `${dot}${sep}`.repeat(depth);
            paths.add(`${prefix}${up}${target.replaceAll("/", sep)}`);
            paths.add(`${prefix}${up}${target}`);
          }
  for (const path of [
    "/link-out.txt",
    "/link-absolute.txt",
    "/linkdir-out/secret.txt",
    "/linkdir-out/root/../secret.txt",
    "/link-sibling/secret.txt",
    "/mounted/link-out.txt",
    "/mounted/linkdir-out/secret.txt",
    "/.env",
    "/%2eenv",
    "/%2Eenv",
    "/.%65nv",
    "/hello.txt%00",
    "/hello.txt%00.html",
    "/%00../secret.txt",
    "/..%00/secret.txt",
    "/%2fetc%2fpasswd",
    "//etc/passwd",
    "/\\etc\\passwd",
    "/%5cetc%5cpasswd",
    "/C:%5cWindows%5cwin.ini",
    `/${"a".repeat(5000)}`,
    `/${"../".repeat(300)}secret.txt`,
    `/${"%2e%2e%2f".repeat(300)}secret.txt`,
    `/${"a/".repeat(3000)}`,
    "/sub/%2e%2e%2f%2e%2e%2fsecret.txt",
    "/%",
    "/%zz",
    "/%e0%a4%a",
    "http://x/../secret.txt",
    "http://x/%2e%2e/secret.txt",
    "*",
  ])
    paths.add(path);
  return [...paths];
}

async function pool<T>(items: T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: size }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
    }),
  );
}

/** Sends every target of the battery over raw TCP; the targets whose answer holds a secret, and the statuses. */
async function runBattery(url: string): Promise<{ leaks: string[]; statuses: Map<string, number> }> {
  const leaks: string[] = [];
  const statuses = new Map<string, number>();
  await pool(battery(), 8, async (path) => {
    const request = `GET ${path} HTTP/1.1\r\nHost: x\r\nAccept-Encoding: identity\r\nConnection: close\r\n\r\n`;
    const { raw } = await rawRequest(url, request, { timeout: 5000 });
    if (raw.includes(SECRET) || raw.includes("root:x:0:0")) leaks.push(path);
    const status = /^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1] ?? "closed";
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
  });
  return { leaks, statuses };
}

let fixture: StaticFixture;
beforeAll(() => {
  fixture = staticFixture();
});
afterAll(() => fixture.remove());

for (const runtime of ["node24", "deno", "bun"] satisfies RuntimeName[]) {
  describe(`serveStatic path safety on ${runtime}`, () => {
    let server: RunningServer;
    beforeAll(async () => {
      server = await startServer(runtime, { app: "static" }, { TSGI_STATIC_ROOT: fixture.root });
    });
    afterAll(() => server?.stop());

    it("reads nothing outside the root for any target in the battery, and stays up", { timeout: 120_000 }, async () => {
      const { leaks, statuses } = await runBattery(server.url);
      console.log(`${runtime}: ${battery().length} targets, answers ${JSON.stringify(Object.fromEntries(statuses))}`);
      expect(leaks).toEqual([]);
      expect(statuses.get("200") ?? 0, "no target is served as a file").toBe(0);
      expect(server.process.exitCode).toBe(null);
      const hello = await fetch(new URL("/hello.txt", server.url));
      expect(await hello.text()).toBe("hello, static\n");
    });
  });
}

// The control: the same battery finds leaks in a server that joins the decoded path to the root and follows
// symlinks, so a serveStatic that let one through would fail the cases above.
describe("the path-safety battery against a naive file server", () => {
  let naive: HttpServer;
  let url: string;
  beforeAll(async () => {
    naive = createServer((req, res) => {
      let path: string;
      try {
        path = join(fixture.root, decodeURIComponent((req.url ?? "/").split("?")[0]));
      } catch {
        return void res.writeHead(400).end();
      }
      readFile(path).then(
        (bytes) => res.end(bytes),
        () => res.writeHead(404).end(),
      );
    });
    await new Promise<void>((resolve) => naive.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(naive.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => naive.close(() => resolve())));

  it("finds the secrets through encoded dot-dots and through symlinks", { timeout: 120_000 }, async () => {
    const { leaks } = await runBattery(url);
    expect(leaks).toContain("/..%2fsecret.txt");
    expect(leaks).toContain("/link-out.txt");
    expect(leaks).toContain("/linkdir-out/secret.txt");
  });
});

// What serveStatic does, as cases that take a way to send a request: test/static.test.ts runs them
// in-process and over each real runtime's server, since the file body comes from a different source on each.
import { statSync } from "node:fs";
import { join } from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { expect, it } from "vitest";
import type { StaticFixture } from "./fixture.ts";

/** Sends `path` (method, headers in `init`) to the static test app; asks for no encoding unless told. */
export type Send = (path: string, init?: { method?: string; headers?: Record<string, string> }) => Promise<Response>;

const bytes = async (response: Response) => new Uint8Array(await response.arrayBuffer());

/** The body as text, decoded if the client did not already (fetch decodes, the in-process client does not). */
async function decoded(response: Response, expected: string): Promise<string> {
  const raw = await bytes(response);
  const text = new TextDecoder().decode(raw);
  if (text === expected) return text;
  const encoding = response.headers.get("content-encoding");
  return (encoding === "br" ? brotliDecompressSync(raw) : gunzipSync(raw)).toString("utf8");
}

export function staticCases(send: () => Send, fixture: () => StaticFixture): void {
  it("serves a file with Content-Type by extension, charset for text, Content-Length and validators", async () => {
    const response = await send()("/hello.txt");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(response.headers.get("content-length")).toBe("14");
    expect(response.headers.get("accept-ranges")).toBe("bytes");
    expect(response.headers.get("etag")).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
    const mtime = statSync(join(fixture().root, "hello.txt")).mtime;
    expect(response.headers.get("last-modified")).toBe(mtime.toUTCString());
    expect(await response.text()).toBe("hello, static\n");
    expect((await send()("/app.js", { headers: { "accept-encoding": "identity" } })).headers.get("content-type")).toBe(
      "text/javascript; charset=utf-8",
    );
    expect((await send()("/data.bin")).headers.get("content-type")).toBe("application/octet-stream");
  });

  it("sends binary files byte for byte, and an empty file as an empty body", async () => {
    expect(await bytes(await send()("/data.bin"))).toEqual(fixture().binary);
    const empty = await send()("/empty.txt");
    expect(empty.status).toBe(200);
    expect(empty.headers.get("content-length")).toBe("0");
    expect(await empty.text()).toBe("");
  });

  it("decodes the path: spaces and non-ASCII names", async () => {
    const response = await send()("/caf%C3%A9%20menu.txt");
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("menu\n");
  });

  it("answers 304 to If-None-Match with the ETag, and to If-Modified-Since not before the change", async () => {
    const first = await send()("/hello.txt");
    const etag = first.headers.get("etag")!;
    const lastModified = first.headers.get("last-modified")!;
    await first.body?.cancel();
    const byTag = await send()("/hello.txt", { headers: { "if-none-match": `"other", W/${etag}` } });
    expect(byTag.status).toBe(304);
    expect(byTag.headers.get("etag")).toBe(etag);
    expect(await byTag.text()).toBe("");
    expect((await send()("/hello.txt", { headers: { "if-modified-since": lastModified } })).status).toBe(304);
    const stale = await send()("/hello.txt", {
      headers: { "if-none-match": '"other"', "if-modified-since": lastModified },
    });
    expect(stale.status).toBe(200);
    expect(await stale.text()).toBe("hello, static\n");
    const older = new Date(Date.parse(lastModified) - 1000).toUTCString();
    expect((await send()("/hello.txt", { headers: { "if-modified-since": older } })).status).toBe(200);
  });

  it("answers a Range with 206 and Content-Range, a suffix range and an open range too", async () => {
    const { binary } = fixture();
    const part = await send()("/data.bin", { headers: { range: "bytes=1000-1999" } });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe("bytes 1000-1999/100000");
    expect(part.headers.get("content-length")).toBe("1000");
    expect(await bytes(part)).toEqual(binary.slice(1000, 2000));
    const suffix = await send()("/data.bin", { headers: { range: "bytes=-500" } });
    expect(suffix.headers.get("content-range")).toBe("bytes 99500-99999/100000");
    expect(await bytes(suffix)).toEqual(binary.slice(99_500));
    const open = await send()("/data.bin", { headers: { range: "bytes=99990-" } });
    expect(await bytes(open)).toEqual(binary.slice(99_990));
    const past = await send()("/data.bin", { headers: { range: "bytes=99990-200000" } });
    expect(past.headers.get("content-range")).toBe("bytes 99990-99999/100000");
    await past.body?.cancel();
  });

  it("answers a Range past the end with 416 and Content-Range: bytes */size", async () => {
    const response = await send()("/data.bin", { headers: { range: "bytes=100000-" } });
    expect(response.status).toBe(416);
    expect(response.headers.get("content-range")).toBe("bytes */100000");
    await response.body?.cancel();
  });

  it("sends the whole file for several ranges, a malformed Range, or an If-Range of another version", async () => {
    const whole: Record<string, string>[] = [
      { range: "bytes=0-1,5-6" },
      { range: "bytes=9-3" },
      { range: "bytes=0-9", "if-range": '"old"' },
    ];
    for (const headers of whole) {
      const response = await send()("/data.bin", { headers });
      expect(response.status, JSON.stringify(headers)).toBe(200);
      expect((await bytes(response)).length).toBe(100_000);
    }
    const etag = (await send()("/data.bin", { method: "HEAD" })).headers.get("etag")!;
    expect((await send()("/data.bin", { headers: { range: "bytes=0-9", "if-range": etag } })).status).toBe(206);
  });

  it("answers HEAD with the GET's headers and no body", async () => {
    const response = await send()("/data.bin", { method: "HEAD" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-length")).toBe("100000");
    expect(response.headers.get("content-type")).toBe("application/octet-stream");
    expect(await response.text()).toBe("");
  });

  it("serves index.html for a directory, and redirects a directory path without its slash", async () => {
    const home = await send()("/");
    expect(home.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await home.text()).toBe("<h1>home</h1>\n");
    expect(await (await send()("/sub/")).text()).toBe("<h1>sub</h1>\n");
    const redirect = await send()("/sub?x=1");
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get("location")).toBe("./sub/?x=1");
    // A directory with no index, or a file's path with a slash after it, is the application's.
    expect(await (await send()("/docs/")).text()).toBe("app: GET /docs/\n");
    expect(await (await send()("/hello.txt/")).text()).toBe("app: GET /hello.txt/\n");
  });

  it("sends the precompressed sibling the client accepts, with Content-Encoding and Vary", async () => {
    const { css, root } = fixture();
    const br = await send()("/style.css", { headers: { "accept-encoding": "gzip, br" } });
    expect(br.headers.get("content-encoding")).toBe("br");
    expect(br.headers.get("content-type")).toBe("text/css; charset=utf-8");
    expect(br.headers.get("vary")).toBe("Accept-Encoding");
    expect(br.headers.get("content-length")).toBe(String(statSync(join(root, "style.css.br")).size));
    expect(await decoded(br, css)).toBe(css);
    const gzip = await send()("/style.css", { headers: { "accept-encoding": "gzip, br;q=0" } });
    expect(gzip.headers.get("content-encoding")).toBe("gzip");
    expect(await decoded(gzip, css)).toBe(css);
    const plain = await send()("/style.css", { headers: { "accept-encoding": "identity" } });
    expect(plain.headers.get("content-encoding")).toBe(null);
    expect(plain.headers.get("vary")).toBe("Accept-Encoding");
    expect(await plain.text()).toBe(css);
    // Only gzip exists for app.js: a client that takes both gets it.
    const js = await send()("/app.js", { headers: { "accept-encoding": "br, gzip" } });
    expect(js.headers.get("content-encoding")).toBe("gzip");
    await js.body?.cancel();
  });

  it("follows a symlink that stays inside the root, file or directory", async () => {
    expect(await (await send()("/link-inside.txt")).text()).toBe("hello, static\n");
    expect(await (await send()("/linkdir-inside/")).text()).toBe("<h1>sub</h1>\n");
  });

  it("hands symlinks that lead out of the root to the application", async () => {
    for (const path of ["/link-out.txt", "/linkdir-out/secret.txt", "/link-sibling/secret.txt", "/link-absolute.txt"]) {
      const response = await send()(path);
      expect(await response.text(), path).toBe(`app: GET ${path}\n`);
    }
  });

  it("leaves dotfiles, other methods and missing files to the application", async () => {
    expect(await (await send()("/.env")).text()).toBe("app: GET /.env\n");
    expect(await (await send()("/.hidden/page.html")).text()).toBe("app: GET /.hidden/page.html\n");
    expect(await (await send()("/hello.txt", { method: "POST" })).text()).toBe("app: POST /hello.txt\n");
    expect(await (await send()("/hello.txt", { method: "DELETE" })).text()).toBe("app: DELETE /hello.txt\n");
    expect(await (await send()("/missing.txt")).text()).toBe("app: GET /missing.txt\n");
  });

  it("serves the path below a mount prefix, with the Cache-Control option", async () => {
    const response = await send()("/mounted/hello.txt");
    expect(response.headers.get("cache-control")).toBe("public, max-age=60");
    expect(await response.text()).toBe("hello, static\n");
    expect((await send()("/hello.txt")).headers.get("cache-control")).toBe(null);
    const redirect = await send()("/mounted/sub");
    expect(redirect.headers.get("location")).toBe("./sub/");
    expect(await (await send()("/mounted/missing")).text()).toBe("app: GET /missing\n");
  });
}

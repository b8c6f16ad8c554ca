// serveStatic's parts one by one: path checks, validators, ranges, encodings and content types.
import { describe, expect, it } from "vitest";
import { etagOf, isFresh, rangeOf } from "../middleware/static-conditional.ts";
import { negotiateEncoding } from "../middleware/accept-encoding.ts";
import { acceptedVariants } from "../middleware/static-encoding.ts";
import { isInside, staticPath, underRoot } from "../middleware/static-path.ts";
import { contentType } from "../middleware/static-types.ts";

describe("staticPath", () => {
  it("decodes segments and notes a trailing slash", () => {
    expect(staticPath("/", false)).toEqual({ segments: [], directory: true });
    expect(staticPath("/a/b%20c.txt", false)).toEqual({ segments: ["a", "b c.txt"], directory: false });
    expect(staticPath("/a/", false)).toEqual({ segments: ["a"], directory: true });
  });

  it.each([
    "/../x",
    "/a/./b",
    "/a//b",
    "/%2e%2e/x",
    "/a%2fb",
    "/a%5cb",
    "/a\\b",
    "/a%00b",
    "/a%0ab",
    "/%zz",
    "/%",
    "/.env",
    "/a/.git/config",
    "relative",
    `/${"a".repeat(256)}`,
    `/${"a/".repeat(2100)}`,
  ])("refuses %s", (path) => {
    expect(staticPath(path, false)).toBe(undefined);
  });

  it("lets dotfiles through only when asked, and never . or ..", () => {
    expect(staticPath("/.env", true)).toEqual({ segments: [".env"], directory: false });
    expect(staticPath("/%2e%2e/x", true)).toBe(undefined);
  });

  it("keeps joined paths under the root, on a segment boundary", () => {
    expect(underRoot("/srv/www", ["a", "b"])).toBe("/srv/www/a/b");
    expect(underRoot("/srv/www", [".."])).toBe(undefined);
    expect(isInside("/srv/www", "/srv/www-old/x")).toBe(false);
    expect(isInside("/srv/www", "/srv/www")).toBe(true);
    expect(isInside("/", "/etc/passwd")).toBe(true);
  });
});

describe("validators and ranges", () => {
  const stats = { size: 1000, mtimeMs: Date.parse("2026-01-02T03:04:05.678Z") };
  const etag = etagOf(stats);
  const lastModified = new Date(stats.mtimeMs).toUTCString();
  const headers = (init: Record<string, string>) => new Headers(init);

  it("compares If-None-Match weakly, takes * and lists; If-Modified-Since in whole seconds", () => {
    expect(isFresh(headers({ "if-none-match": etag }), etag, stats.mtimeMs)).toBe(true);
    expect(isFresh(headers({ "if-none-match": `W/${etag}` }), etag, stats.mtimeMs)).toBe(true);
    expect(isFresh(headers({ "if-none-match": `"a", ${etag}` }), etag, stats.mtimeMs)).toBe(true);
    expect(isFresh(headers({ "if-none-match": "*" }), etag, stats.mtimeMs)).toBe(true);
    expect(isFresh(headers({ "if-none-match": '"a"', "if-modified-since": lastModified }), etag, stats.mtimeMs)).toBe(
      false,
    );
    expect(isFresh(headers({ "if-modified-since": lastModified }), etag, stats.mtimeMs)).toBe(true);
    expect(isFresh(headers({ "if-modified-since": "not a date" }), etag, stats.mtimeMs)).toBe(false);
    expect(isFresh(headers({}), etag, stats.mtimeMs)).toBe(false);
  });

  it.each([
    ["bytes=0-0", { kind: "partial", start: 0, end: 0 }],
    ["bytes=10-", { kind: "partial", start: 10, end: 999 }],
    ["bytes=-1", { kind: "partial", start: 999, end: 999 }],
    ["bytes=-5000", { kind: "partial", start: 0, end: 999 }],
    ["bytes=990-5000", { kind: "partial", start: 990, end: 999 }],
    ["BYTES = 1 - 2", { kind: "partial", start: 1, end: 2 }],
    ["bytes=1000-", { kind: "unsatisfiable" }],
    ["bytes=1000-1001", { kind: "unsatisfiable" }],
    ["bytes=-0", { kind: "unsatisfiable" }],
    ["bytes=5-1", { kind: "full" }],
    ["bytes=0-1,3-4", { kind: "full" }],
    ["bytes=-", { kind: "full" }],
    ["bytes=a-b", { kind: "full" }],
    ["items=0-1", { kind: "full" }],
    ["bytes 0-1", { kind: "full" }],
  ])("Range %s", (range, answer) => {
    expect(rangeOf(headers({ range }), 1000, etag, lastModified)).toEqual(answer);
  });

  it("applies a Range only when If-Range names this version", () => {
    const ask = (ifRange: string) =>
      rangeOf(headers({ range: "bytes=0-1", "if-range": ifRange }), 1000, etag, lastModified);
    expect(ask(etag).kind).toBe("partial");
    expect(ask(lastModified).kind).toBe("partial");
    expect(ask(`W/${etag}`).kind).toBe("full");
    expect(ask('"other"').kind).toBe("full");
    expect(rangeOf(headers({ range: "bytes=0-" }), 0, etag, lastModified).kind).toBe("unsatisfiable");
  });
});

describe("acceptedVariants and contentType", () => {
  const names = (header: string | null) => acceptedVariants(header).map((variant) => variant.encoding);

  it.each([
    [null, []],
    ["", []],
    ["identity", []],
    ["gzip", ["gzip"]],
    ["gzip, br", ["br", "gzip"]],
    ["br;q=0.5, gzip", ["gzip", "br"]],
    ["br;q=0, gzip", ["gzip"]],
    ["x-gzip", ["gzip"]],
    ["*", ["br", "gzip"]],
    ["*;q=0, gzip", ["gzip"]],
    ["BR;Q=1", ["br"]],
    // RFC 9110 §12.4.2: a q-value outside its grammar weighs nothing, as compress() reads it too.
    ["gzip;q=abc, br", ["br"]],
    ["br;q=1.5, gzip;q=0.5", ["gzip"]],
    ["gzip;q=1., br;q=0.", ["gzip"]],
    ["gzip;q=.5", []],
  ] as const)("Accept-Encoding %j", (header, expected) => {
    expect(names(header)).toEqual(expected);
  });

  it.each([
    "gzip;q=abc, br;q=0.1",
    "br;q=1.5, gzip",
    "gzip;q=0.5, br;q=0.5",
    "*;q=0.2, gzip;q=0.1",
    " GZIP ; Q=0.8 , br ; q=0.9 ",
  ])("picks first what compress() would pick for %j", (header) => {
    expect(names(header)[0]).toBe(negotiateEncoding(header, ["br", "gzip"]));
  });

  it("types files by extension, text with charset, unknown and prototype names as bytes", () => {
    expect(contentType("a/INDEX.HTML")).toBe("text/html; charset=utf-8");
    expect(contentType("x.svg")).toBe("image/svg+xml; charset=utf-8");
    expect(contentType("x.png")).toBe("image/png");
    expect(contentType("x.constructor")).toBe("application/octet-stream");
    expect(contentType("x.__proto__")).toBe("application/octet-stream");
    expect(contentType("a.d/noext")).toBe("application/octet-stream");
    expect(contentType("x.md", { md: "text/x-md" })).toBe("text/x-md");
  });
});

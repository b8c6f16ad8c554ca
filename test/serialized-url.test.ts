// serializedUrl (src/server/serialized-url.ts) and Node's requestUrl must give what the URL parser gives, for
// any URL a server could build from a Host and a request-target, on their fast paths (a known origin, a known
// Host) as well as off them.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BadRequestError } from "../src/errors.ts";
import { requestUrl, type NodeRequest } from "../adapters/node-request.ts";
import { serializedUrl } from "../src/server/serialized-url.ts";

const printable = fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((code) => String.fromCharCode(code)) });
const segment = fc.oneof(
  printable,
  fc.constantFrom(".", "..", "%2e", "%2E%2e", ".well-known", "a.b", "%41", "ü", "日本", "a b", "%"),
);
const target = fc
  .tuple(fc.array(segment, { maxLength: 5 }), fc.option(printable))
  .map(([segments, query]) => `/${segments.join("/")}${query === null ? "" : `?${query}`}`);
const host = fc.constantFrom(
  "localhost:3000",
  "LocalHost:3000",
  "127.0.0.1:8080",
  "example.com",
  "x:80",
  "x:0443",
  "1.2.3",
  "a%b",
  "evil.com/admin",
);
const scheme = fc.constantFrom("http", "https");

describe("serializedUrl", () => {
  it("gives new URL(url).href for any host and request-target, the second time too", () => {
    fc.assert(
      fc.property(scheme, host, target, (protocol, authority, path) => {
        const url = `${protocol}://${authority}${path}`;
        let expected: string;
        try {
          expected = new URL(url).href;
        } catch {
          expect(() => serializedUrl(url)).toThrow(BadRequestError);
          return;
        }
        expect(serializedUrl(url)).toBe(expected);
        // Now with the origin known: the path that skips the parse.
        expect(serializedUrl(url)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it("gives Node's requests new URL(url).href, however the Host, the scheme and the target follow each other", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(scheme, host, target), { minLength: 1, maxLength: 4 }), (requests) => {
        for (const [protocol, authority, path] of requests) {
          const req = { url: path, headers: { host: authority }, socket: { encrypted: protocol === "https" } };
          const url = `${protocol}://${authority}${path}`;
          let expected: string;
          try {
            if (/[/@]/.test(authority)) throw new TypeError("a Host that would move the path");
            expected = new URL(url).href;
          } catch {
            expect(() => requestUrl(req as unknown as NodeRequest)).toThrow(BadRequestError);
            continue;
          }
          expect(requestUrl(req as unknown as NodeRequest)).toBe(expected);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("keeps a plain URL as it was given", () => {
    serializedUrl("http://localhost:3000/");
    const url = "http://localhost:3000/items/42?page=2&sort=-date";
    expect(serializedUrl(url)).toBe(url);
  });

  it("resolves dot segments and writes the host and port as the standard does", () => {
    expect(serializedUrl("http://LocalHost:80/a/../b/./c/%2e/d?q=x")).toBe("http://localhost/b/c/d?q=x");
    expect(serializedUrl("https://x:443/.well-known/a")).toBe("https://x/.well-known/a");
  });

  it("refuses a URL the parser refuses as the client's error", () => {
    expect(() => serializedUrl("http://a%b/")).toThrow(BadRequestError);
  });
});

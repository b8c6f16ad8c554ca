// The Request an adapter makes from what its runtime handed over as plain values (Lambda's events): Node's
// own with a lazy signal, or a light one once fastGlobals is on, so that Node's fetch classes stay unbuilt.
import { fastGlobalsInstalled } from "./fast/globals.ts";
import { textPlain } from "./fast/body.ts";
import { FastHeaders } from "./fast/headers.ts";
import { FastRequest } from "./fast/request.ts";
import { newNativeRequest } from "./native-request.ts";
import { serializedUrl } from "./serialized-url.ts";

/** The parts of a RequestInit an adapter gives. */
export interface PlainRequestInit {
  method: string;
  headers: Record<string, string> | [string, string][];
  body?: string | Uint8Array;
}

/**
 * The Request for `url` and `init`; throws a TypeError where `new Request(url, init)` would (a header
 * value the standard refuses, say), and a BadRequestError for a URL it refuses.
 *
 * @example
 * const request = newRequest("https://example.com/", { method: "GET", headers: [["accept", "*\/*"]] });
 */
export function newRequest(url: string, init: PlainRequestInit): Request {
  // Parsed here in both modes, so a URL the standard refuses is a 400 in both.
  url = serializedUrl(url);
  if (!fastGlobalsInstalled()) return newNativeRequest(url, init as RequestInit);
  const headers = new FastHeaders(init.headers);
  const body = init.body ?? null;
  if (typeof body === "string" && !headers.has("content-type")) headers.append("content-type", textPlain);
  return FastRequest.light({ url, method: init.method, headers, body }) as unknown as Request;
}

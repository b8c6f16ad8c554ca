// When `new Request(input, init)` can give a light Request: an absolute URL and an init of the common
// members (method, headers, a string, bytes or stream body, signal), each a value the Fetch standard takes
// as it is. Anything else (a Request as input, another member, a value the standard would refuse or
// convert) goes to Node's constructor, which then converts or throws exactly as Node does. This keeps
// `mount`'s requests, and a proxy's, light.
import { isToken } from "../../http-token.ts";
import { lightBody, textPlain } from "./body.ts";
import { FastHeaders } from "./headers.ts";

/** The parts of a light Request made by `new Request(…)`. */
export interface SimpleRequest {
  url: string;
  method: string;
  headers: FastHeaders;
  body: string | Uint8Array | ReadableStream<Uint8Array> | null;
  /** The signal the request's own follows. */
  signal: AbortSignal | undefined;
}

// Fetch §2.2.1: the methods normalized to upper case, and those a Request refuses.
const normalized = new Set(["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"]);
const forbidden = new Set(["CONNECT", "TRACE", "TRACK"]);
const members = new Set(["method", "headers", "body", "signal", "duplex", "redirect"]);

function simpleUrl(input: unknown): string | undefined {
  if (typeof input !== "string" && !(input instanceof URL)) return undefined;
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return undefined;
  }
  return url.username === "" && url.password === "" ? url.href : undefined;
}

function simpleMethod(method: unknown): string | undefined {
  if (method === undefined) return "GET";
  if (typeof method !== "string" || !isToken(method)) return undefined;
  const upper = method.toUpperCase();
  if (forbidden.has(upper)) return undefined;
  return normalized.has(upper) ? upper : method;
}

/** The light parts of `new Request(input, init)`, or undefined where Node's constructor must judge. */
export function simpleRequest(input: unknown, init: RequestInit | undefined): SimpleRequest | undefined {
  const url = simpleUrl(input);
  if (url === undefined) return undefined;
  if (init === undefined) return { url, method: "GET", headers: new FastHeaders(), body: null, signal: undefined };
  if (typeof init !== "object" || init === null || Object.getPrototypeOf(init) !== Object.prototype) return undefined;
  const fields = init as Record<string, unknown>;
  for (const key in fields) if (!members.has(key) && fields[key] !== undefined) return undefined;
  const { method: given, headers, body: source, signal, duplex, redirect } = fields;
  if ((redirect !== undefined && redirect !== "follow") || (duplex !== undefined && duplex !== "half"))
    return undefined;
  if (signal !== undefined && signal !== null && !(signal instanceof AbortSignal)) return undefined;
  const method = simpleMethod(given);
  const body = lightBody(source, duplex === "half");
  if (method === undefined || body === undefined) return undefined;
  if (body !== null && (method === "GET" || method === "HEAD")) return undefined;
  const list = new FastHeaders(headers as HeadersInit | undefined);
  if (typeof body === "string" && !list.has("content-type")) list.append("content-type", textPlain);
  return { url, method, headers: list, body: body as SimpleRequest["body"], signal: signal ?? undefined };
}

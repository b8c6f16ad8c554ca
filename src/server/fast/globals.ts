// fastGlobals: tsgi's Request, Response and Headers in the process's globals, and a fetch that gives Node's
// own fetch a native Request for a fast one. Only ever done when the user asks for it.
import { FastHeaders } from "./headers.ts";
import { inspectAs } from "./inspect.ts";
import { keepNatives, nativesKept } from "./natives.ts";
import { FastRequest } from "./request.ts";
import { FastResponse } from "./response.ts";

// console.log shows the fast objects as it shows Node's own.
const shows = [
  () => inspectAs(FastRequest, "Request", ({ method, url, headers, bodyUsed }) => ({ method, url, headers, bodyUsed })),
  () =>
    inspectAs(FastResponse, "Response", ({ status, statusText, headers, bodyUsed, ok }) => ({
      status,
      statusText,
      headers,
      bodyUsed,
      ok,
    })),
  () => inspectAs(FastHeaders, "Headers", (headers) => Object.fromEntries(headers as unknown as Headers)),
];

/** Whether the fast classes are in the globals. */
export function fastGlobalsInstalled(): boolean {
  return nativesKept();
}

/**
 * Puts the fast classes in the globals (once; later calls do nothing). Node's own stay reachable for
 * the fast classes, which build them when something needs one.
 *
 * @example
 * installFastGlobals();
 * new Response("hello") instanceof Response; // true, and so is every Response fetch() returns
 */
export function installFastGlobals(): void {
  if (nativesKept()) return;
  const native = keepNatives();
  const fastFetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> =>
    native.fetch(FastRequest.owns(input) ? input.toNative() : input, init);
  // Named as the classes they stand for: some code tells a Response by `constructor.name`.
  for (const [type, name] of [
    [FastRequest, "Request"],
    [FastResponse, "Response"],
    [FastHeaders, "Headers"],
  ] as const)
    Object.defineProperty(type, "name", { value: name });
  for (const show of shows) show();
  Object.assign(globalThis, { Request: FastRequest, Response: FastResponse, Headers: FastHeaders, fetch: fastFetch });
}

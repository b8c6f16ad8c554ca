// fastGlobals: tsgi's Request, Response and Headers in the process's globals, and a fetch that gives Node's
// own fetch a native Request for a fast one. Only ever done when the user asks for it.
import { FastHeaders } from "./headers.ts";
import { inspectAs } from "./inspect.ts";
import { keepNatives, natives, nativesKept } from "./natives.ts";
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

/** How fastGlobals goes in. */
export interface InstallOptions {
  /**
   * Leave Node's own classes unread until something needs one (a Lambda's cold start): till then the
   * properties `globalThis.Request`, `globalThis.Response` and `globalThis.Headers` still hold Node's, while
   * the names `Request`, `Response` and `Headers` are tsgi's. Default false: the properties change at once.
   */
  lazy?: boolean;
}

/**
 * Puts the fast classes in the globals (once; later calls do nothing). Node's own stay reachable for
 * the fast classes, which build them when something needs one.
 *
 * @example
 * installFastGlobals();
 * new Response("hello") instanceof Response; // true, and so is every Response fetch() returns
 */
export function installFastGlobals(options: InstallOptions = {}): void {
  if (nativesKept()) return;
  // Named as the classes they stand for: some code tells a Response by `constructor.name`.
  for (const [type, name] of [
    [FastRequest, "Request"],
    [FastResponse, "Response"],
    [FastHeaders, "Headers"],
  ] as const)
    Object.defineProperty(type, "name", { value: name });
  for (const show of shows) show();
  const nativeFetch = keepNatives({
    Request: FastRequest as unknown as typeof Request,
    Response: FastResponse as unknown as typeof Response,
    Headers: FastHeaders as unknown as typeof Headers,
  });
  const fastFetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> =>
    nativeFetch(FastRequest.owns(input) ? input.toNative() : input, init);
  Object.assign(globalThis, { fetch: fastFetch });
  if (options.lazy !== true) natives();
}

// What Deno keeps of a Request and a Response, read without their getters: `request.headers` builds a
// Headers from every field (2 µs), `response.headers` drops the native response Deno prebuilt in the
// constructor, and `bodyUsed` turns a body Deno keeps as a plain string into a body object first
// (ext/http/00_serve.ts, ext/fetch/23_response.js: responseHeaders, materializeLazyStaticBody). Each reader
// trusts Deno's private fields only after checking them once, and otherwise answers as the getter would.

/** Header fields as name/value pairs, names in the case they were given. */
export type HeaderList = readonly (readonly [string, string])[];

/** A Request's or Response's own field (Deno's private state), found by its symbol's description. */
function ownField(object: Request | Response, description: string): symbol | undefined {
  return Object.getOwnPropertySymbols(object).find((symbol) => symbol.description === description);
}

/**
 * A reader of a Response's header list, or `undefined` (then use `response.headers`) where this Deno keeps
 * its Responses another way. The list must follow the headers through construction, `append` and `delete`.
 *
 * @example
 * const listOf = headerListReader();
 * const list = listOf?.(response); // [["content-type", "text/plain"]], or undefined: use response.headers
 */
export function headerListReader(): ((response: Response) => HeaderList | undefined) | undefined {
  const probe = new Response(null, { headers: { "x-probe": "1" } });
  const key = ownField(probe, "response");
  if (key === undefined) return undefined;
  const read = (response: Response): HeaderList | undefined => {
    const inner: unknown = Reflect.get(response, key);
    const list = typeof inner === "object" && inner !== null && "headerList" in inner ? inner.headerList : undefined;
    return Array.isArray(list) ? list : undefined;
  };
  const names = () => read(probe)?.map(([name]) => name.toLowerCase()) ?? [];
  const built = names().join();
  probe.headers.append("connection", "close");
  probe.headers.delete("x-probe");
  return built === "x-probe" && names().join() === "connection" ? read : undefined;
}

/**
 * `response.bodyUsed` that spares a body Deno still keeps as the string it was given (`new Response(text)`,
 * `Response.json`): such a body was never read, since every read turns it into a body object first.
 *
 * @example
 * const used = bodyUsedReader();
 * used(new Response("hello")); // false, the string left as it is
 */
export function bodyUsedReader(): (response: Response) => boolean {
  const getter = (response: Response): boolean => response.bodyUsed;
  const probe = new Response("probe");
  const key = ownField(probe, "lazy static body");
  if (key === undefined || Reflect.get(probe, key) !== "probe") return getter;
  void probe.text();
  if (Reflect.get(probe, key) !== null || !probe.bodyUsed) return getter;
  return (response) => typeof Reflect.get(response, key) !== "string" && response.bodyUsed;
}

/** The one method of the request `Deno.serve` keeps behind each Request that this reader uses. */
interface ServedRequest {
  header(name: string): unknown;
}

function isServedRequest(inner: unknown): inner is ServedRequest {
  return typeof inner === "object" && inner !== null && typeof (inner as Partial<ServedRequest>).header === "function";
}

/**
 * A reader of one request field that spares building the request's Headers: the request `Deno.serve` keeps
 * behind a Request answers a field by name. For fields a request carries once (Host, Content-Length: Deno's
 * parser refuses two); any other Request, or a Deno that keeps it another way, is read through `request.headers`.
 *
 * @example
 * const headerOf = requestHeaderReader();
 * headerOf(request, "host"); // "example.com", as request.headers.get("host") says
 */
export function requestHeaderReader(): (request: Request, name: string) => string | null {
  const getter = (request: Request, name: string): string | null => request.headers.get(name);
  const key = ownField(new Request("http://probe/"), "request");
  if (key === undefined) return getter;
  // Settled by the first served request: whether its answer is the getter's.
  let trusted: boolean | undefined;
  return (request, name) => {
    const inner: unknown = Reflect.get(request, key);
    if (trusted === false || !isServedRequest(inner)) return getter(request, name);
    const value = inner.header(name);
    const valid = typeof value === "string" || value === null;
    trusted ??= valid && value === getter(request, name);
    return trusted && valid ? value : getter(request, name);
  };
}

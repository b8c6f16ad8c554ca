// The floor of the Lambda benchmark: the least a hand-written translation must do to run a fetch-style
// application on API Gateway payload 2.0 and REST (1.0) events, text bodies only, no edge cases.
type FetchHandler = (request: Request) => Response | Promise<Response>;

async function answer(response: Response): Promise<{ headers: Record<string, string>; body: string }> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return { headers, body: await response.text() };
}

/** The fields of a payload 2.0 event the floor reads; `body` only for methods that have one. */
export interface EventV2 {
  requestContext: { http: { method: string } };
  headers: Record<string, string>;
  rawPath: string;
  rawQueryString: string;
  body?: string;
  isBase64Encoded: boolean;
}

/** The fields of a REST (payload 1.0) event the floor reads; `body` only for methods that have one. */
export interface EventV1 {
  httpMethod: string;
  path: string;
  headers: Record<string, string>;
  /** Every value of each name; `queryStringParameters` keeps only the last, so a URL built from it loses some. */
  multiValueQueryStringParameters: Record<string, string[]> | null;
  body: string | null;
  isBase64Encoded: boolean;
}

/** The body an event carries, decoded; none for GET and HEAD. */
function requestBody(method: string, event: { body?: string | null; isBase64Encoded: boolean }): BodyInit | undefined {
  if (method === "GET" || method === "HEAD" || event.body == null) return undefined;
  return event.isBase64Encoded ? Buffer.from(event.body, "base64") : event.body;
}

/** A v2 (HTTP API, Function URL) handler in a dozen lines. */
export function floorV2(app: FetchHandler): (event: EventV2) => Promise<object> {
  return async (event) => {
    const method = event.requestContext.http.method;
    const url = `https://${event.headers.host}${event.rawPath}${event.rawQueryString ? `?${event.rawQueryString}` : ""}`;
    const body = requestBody(method, event);
    const response = await app(new Request(url, { method, headers: event.headers, body }));
    const { headers, body: text } = await answer(response);
    return { statusCode: response.status, headers, body: text, isBase64Encoded: false };
  };
}

/** A REST (payload 1.0) handler in a dozen lines. */
export function floorV1(app: FetchHandler): (event: EventV1) => Promise<object> {
  return async (event) => {
    const method = event.httpMethod;
    const params = new URLSearchParams();
    for (const [name, values] of Object.entries(event.multiValueQueryStringParameters ?? {}))
      for (const value of values) params.append(name, value);
    const query = params.toString();
    const url = `https://${event.headers.Host}${event.path}${query ? `?${query}` : ""}`;
    const body = requestBody(method, event);
    const response = await app(new Request(url, { method, headers: event.headers, body }));
    const { headers, body: text } = await answer(response);
    return { statusCode: response.status, headers, body: text, isBase64Encoded: false };
  };
}

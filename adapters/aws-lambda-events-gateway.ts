// API Gateway REST (payload 1.0), HTTP API (payload 1.0 and 2.0) and Function URLs (2.0):
// "Lambda proxy integrations in API Gateway", "Invoking Lambda function URLs".
import type { EventKind } from "./aws-lambda-event-kind.ts";
import {
  buildRequest,
  encodeQuery,
  type Fields,
  headerList,
  lookup,
  need,
  origin,
  urlPath,
} from "./aws-lambda-request.ts";

/** An HTTP API on its execute-api host puts a named stage first in the path; a custom domain does not. */
function stripStage(path: string, context: Fields, keepStage: boolean): string {
  const stage = context.stage;
  if (
    keepStage ||
    typeof stage !== "string" ||
    stage === "$default" ||
    !String(context.domainName).includes(".execute-api.")
  )
    return path;
  const prefix = `/${stage}`;
  return path === prefix ? "/" : path.startsWith(`${prefix}/`) ? path.slice(prefix.length) : path;
}

/** REST APIs (no `version`) and HTTP APIs sending payload 1.0 (`version: "1.0"`). */
export const apiGatewayV1: EventKind = {
  format: "apigw-v1",
  request(event, keepStage) {
    const context = event.requestContext as Fields;
    const method = need(event.httpMethod, "API Gateway payload 1.0", "httpMethod");
    let path = need(event.path, "API Gateway payload 1.0", "path");
    // REST gives `path` without the stage and `requestContext.path` with it, both encoded as sent.
    if (event.version === "1.0") path = stripStage(path, context, keepStage);
    else if (keepStage && typeof context.path === "string") path = context.path;
    // The single-value maps keep one line per name (the last on REST, the first on HTTP APIs).
    const lines = event.multiValueHeaders ?? event.headers;
    const query = encodeQuery(event.multiValueQueryStringParameters ?? event.queryStringParameters, encodeURIComponent);
    const url = origin("https", lookup(lines, "host"), context.domainName) + urlPath(path, false) + query;
    return buildRequest(
      method,
      url,
      headerList(lines),
      lookup(lines, "content-type") !== undefined,
      event.body,
      event.isBase64Encoded,
    );
  },
  remoteAddress(event) {
    const identity = (event.requestContext as Fields).identity as Fields | null | undefined;
    return typeof identity?.sourceIp === "string" ? identity.sourceIp : undefined;
  },
  result(response, { head: { headers, cookies }, body, base64 }) {
    const result: Fields = { statusCode: response.status, headers, body, isBase64Encoded: base64 };
    // Every Set-Cookie its own entry; a `cookies` key would make REST answer 502.
    if (cookies.length > 0) result.multiValueHeaders = { "set-cookie": cookies };
    return result;
  },
  prelude(response, { headers, cookies }) {
    const prelude: Fields = { statusCode: response.status, headers };
    if (cookies.length > 0) prelude.multiValueHeaders = { "Set-Cookie": cookies };
    return prelude;
  },
};

/** HTTP APIs (payload 2.0, `rawPath` decoded) and Function URLs (same shape, `rawPath` encoded as sent). */
export const apiGatewayV2: EventKind = {
  format: "apigw-v2",
  request(event, keepStage) {
    const context = event.requestContext as Fields;
    const http = context.http as Fields;
    const method = need(http.method, "API Gateway payload 2.0", "requestContext.http.method");
    const functionUrl = String(context.domainName).includes(".lambda-url.");
    let path = need(event.rawPath ?? http.path, "API Gateway payload 2.0", "rawPath");
    if (!functionUrl) path = stripStage(path, context, keepStage);
    let headers = (event.headers ?? {}) as Record<string, string>;
    const cookies = event.cookies;
    // HTTP APIs move Cookie into `cookies`; Function URLs fill both, so take one source only.
    if (Array.isArray(cookies) && cookies.length > 0 && headers.cookie === undefined)
      headers = { ...headers, cookie: cookies.join("; ") };
    const query =
      typeof event.rawQueryString === "string" && event.rawQueryString !== "" ? `?${event.rawQueryString}` : "";
    const url = origin("https", headers.host, context.domainName) + urlPath(path, !functionUrl) + query;
    return buildRequest(method, url, headers, headers["content-type"] !== undefined, event.body, event.isBase64Encoded);
  },
  remoteAddress(event) {
    const sourceIp = ((event.requestContext as Fields).http as Fields).sourceIp;
    return typeof sourceIp === "string" ? sourceIp : undefined;
  },
  result(response, { head: { headers, cookies }, body, base64 }) {
    const result: Fields = { statusCode: response.status, headers, body, isBase64Encoded: base64 };
    // Set-Cookie only in `cookies`, one entry each (Function URL guide: never as a header).
    if (cookies.length > 0) result.cookies = cookies;
    return result;
  },
  prelude(response, { headers, cookies }) {
    const prelude: Fields = { statusCode: response.status, headers };
    if (cookies.length > 0) prelude.cookies = cookies;
    return prelude;
  },
};

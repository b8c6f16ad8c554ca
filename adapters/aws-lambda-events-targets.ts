// Application Load Balancer, VPC Lattice (event structure v2) and Lambda@Edge request triggers:
// "Use Lambda functions as targets of an Application Load Balancer", "Lambda functions as targets in
// VPC Lattice", "Generate HTTP responses in request triggers" (CloudFront).
import { DroppedCookiesError } from "./aws-lambda-errors.ts";
import type { EventKind, ResultParts } from "./aws-lambda-event-kind.ts";
import {
  buildRequest,
  encodeQuery,
  type Fields,
  headerList,
  lastForwarded,
  lookup,
  need,
  origin,
  urlPath,
} from "./aws-lambda-request.ts";

const asIs = (part: string): string => part;
// node:http is loaded here, for ALB alone: importing it as a module would load undici for its WebSocket export.
const reason = (response: Response): string =>
  response.statusText || process.getBuiltinModule("node:http").STATUS_CODES[response.status] || "Unknown";

/** Where a load balancer's or CloudFront's event keeps the parts of its request. */
interface ProxiedRequest {
  method: string;
  path: string;
  query: string;
  lines: unknown;
  /** The header that tells the scheme the client used. */
  proto: string;
  /** The host to use when the request names none. */
  host?: unknown;
  body: unknown;
  base64: unknown;
}

/** The Request from a path, a query and header lines; the scheme from the forwarding header where there is one. */
function request({ method, path, query, lines, proto, host, body, base64 }: ProxiedRequest): Request {
  const scheme = lookup(lines, proto) === "http" ? "http" : "https";
  const url = origin(scheme, lookup(lines, "host"), host) + urlPath(path, false) + query;
  return buildRequest(method, url, headerList(lines), lookup(lines, "content-type") !== undefined, body, base64);
}

// The ALB passes query names and values still encoded, exactly as the client sent them.
function alb(event: Fields, multi: boolean): Request {
  const query = encodeQuery(multi ? event.multiValueQueryStringParameters : event.queryStringParameters, asIs);
  const lines = multi ? event.multiValueHeaders : event.headers;
  return request({
    method: need(event.httpMethod, "ALB", "httpMethod"),
    path: need(event.path, "ALB", "path"),
    query,
    lines,
    proto: "x-forwarded-proto",
    body: event.body,
    base64: event.isBase64Encoded,
  });
}

/** One string per header and the first Set-Cookie only: AWS documents no way to send more here. */
function singleValue(response: Response, { head: { headers, cookies }, body, base64, report }: ResultParts): object {
  if (cookies.length > 0) headers["set-cookie"] = cookies[0];
  if (cookies.length > 1) report(new DroppedCookiesError(cookies.length - 1));
  return {
    statusCode: response.status,
    statusDescription: `${response.status} ${reason(response)}`,
    headers,
    body,
    isBase64Encoded: base64,
  };
}

/** ALB target group with `lambda.multi_value_headers.enabled` false (the default). */
export const albSingle: EventKind = {
  format: "alb-single",
  request: (event) => alb(event, false),
  // The last X-Forwarded-For entry is the one the load balancer appended.
  remoteAddress: (event) => lastForwarded(lookup(event.headers, "x-forwarded-for")),
  result: singleValue,
  proxied: true,
};

/** ALB target group with multi-value headers on: the result must answer in `multiValueHeaders` too. */
export const albMulti: EventKind = {
  format: "alb-multi",
  request: (event) => alb(event, true),
  remoteAddress: (event) => lastForwarded(lookup(event.multiValueHeaders, "x-forwarded-for")),
  result(response, { head: { headers, cookies }, body, base64 }) {
    const multiValueHeaders: Record<string, string[]> = {};
    for (const name in headers) multiValueHeaders[name] = [headers[name]];
    if (cookies.length > 0) multiValueHeaders["set-cookie"] = cookies;
    return {
      statusCode: response.status,
      statusDescription: `${response.status} ${reason(response)}`,
      multiValueHeaders,
      body,
      isBase64Encoded: base64,
    };
  },
  proxied: true,
};

/** VPC Lattice, event structure version 2: header and query values come as arrays of decoded strings. */
export const vpcLattice: EventKind = {
  format: "vpc-lattice",
  request(event) {
    let path = need(event.path, "VPC Lattice", "path");
    let query = encodeQuery(event.queryStringParameters, encodeURIComponent);
    const mark = path.indexOf("?");
    if (mark >= 0) {
      query ||= path.slice(mark);
      path = path.slice(0, mark);
    }
    return request({
      method: need(event.method, "VPC Lattice", "method"),
      path,
      query,
      lines: event.headers,
      proto: "x-forwarded-proto",
      body: event.body,
      base64: event.isBase64Encoded,
    });
  },
  remoteAddress: (event) => lastForwarded(lookup(event.headers, "x-forwarded-for")),
  result: singleValue,
  proxied: true,
};

interface EdgeRequest {
  method?: unknown;
  uri?: unknown;
  querystring?: string;
  clientIp?: string;
  headers?: Record<string, { value: string }[]>;
  body?: { data?: string; encoding?: string };
}

const edgeRequest = (event: Fields): EdgeRequest =>
  ((event.Records as Fields[])[0].cf as { request: EdgeRequest }).request;

/** Lambda@Edge viewer-request and origin-request triggers that generate the response themselves. */
export const lambdaEdge: EventKind = {
  format: "lambda-edge",
  request(event) {
    const cf = edgeRequest(event);
    const config = ((event.Records as Fields[])[0].cf as { config?: Fields }).config;
    const lines: Record<string, string[]> = {};
    for (const name in cf.headers) {
      const list = cf.headers[name];
      lines[name] = Array.isArray(list) ? list.map((line) => line?.value) : [];
    }
    const query = cf.querystring ? `?${cf.querystring}` : "";
    const uri = need(cf.uri, "Lambda@Edge", "cf.request.uri");
    return request({
      method: need(cf.method, "Lambda@Edge", "cf.request.method"),
      path: uri,
      query,
      lines,
      proto: "cloudfront-forwarded-proto",
      host: config?.distributionDomainName,
      body: cf.body?.data,
      base64: cf.body?.encoding === "base64",
    });
  },
  remoteAddress: (event) => edgeRequest(event).clientIp,
  result(response, { head: { headers, cookies }, body, base64 }) {
    const lines: Record<string, { key: string; value: string }[]> = {};
    for (const name in headers) lines[name] = [{ key: name, value: headers[name] }];
    if (cookies.length > 0) lines["set-cookie"] = cookies.map((value) => ({ key: "set-cookie", value }));
    return {
      status: String(response.status),
      statusDescription: reason(response),
      headers: lines,
      body,
      bodyEncoding: base64 ? "base64" : "text",
    };
  },
  proxied: true,
};

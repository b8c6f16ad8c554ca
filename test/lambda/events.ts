// Builds the event each front door would deliver for one HTTP request, following AWS's documented
// formats and the behaviour the shared fixtures record (what is decoded, what is merged, what is lost).

/** An HTTP request as the client sent it. */
export interface ClientRequest {
  method: string;
  /** Percent-encoded as sent, starting with "/". */
  path: string;
  /** The raw query as sent, without "?". */
  query: string;
  /** Lowercase names, no Cookie and no Host. */
  headers: [string, string][];
  /** `name=value` pairs, sent as one Cookie header. */
  cookies: string[];
  body: Uint8Array | null;
  host: string;
  sourceIp: string;
}

export type Kind = "apigw-v1" | "apigw-v2" | "lambda-url" | "alb-single" | "alb-multi" | "vpc-lattice" | "lambda-edge";
export const kinds: Kind[] = [
  "apigw-v1",
  "apigw-v2",
  "lambda-url",
  "alb-single",
  "alb-multi",
  "vpc-lattice",
  "lambda-edge",
];

const textTypes = /^(?:text\/|application\/(?:json|javascript|xml))/;

function pairs(query: string): [string, string][] {
  return query === ""
    ? []
    : query.split("&").map((part) => {
        const eq = part.indexOf("=");
        return eq < 0 ? [part, ""] : [part.slice(0, eq), part.slice(eq + 1)];
      });
}

const decode = (part: string): string => decodeURIComponent(part.replace(/\+/g, " "));

function grouped(list: [string, string][]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of list) {
    if (Object.hasOwn(out, name)) out[name].push(value);
    else out[name] = [value];
  }
  return out;
}

const last = (map: Record<string, string[]>): Record<string, string> =>
  Object.fromEntries(Object.entries(map).map(([k, v]) => [k, v[v.length - 1]]));

function allHeaders(request: ClientRequest, withCookie: boolean): [string, string][] {
  const list: [string, string][] = [["host", request.host], ...request.headers];
  if (withCookie && request.cookies.length > 0) list.push(["cookie", request.cookies.join("; ")]);
  list.push(["x-forwarded-for", request.sourceIp], ["x-forwarded-proto", "https"]);
  return list;
}

/** The body as the front door passes it: text for the text types it knows, else base64. */
function body(request: ClientRequest): { body: string | null; isBase64Encoded: boolean } {
  if (request.body === null) return { body: null, isBase64Encoded: false };
  const type = request.headers.find(([name]) => name === "content-type")?.[1] ?? "";
  if (textTypes.test(type)) {
    try {
      return {
        body: new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(request.body),
        isBase64Encoded: false,
      };
    } catch {}
  }
  return { body: Buffer.from(request.body).toString("base64"), isBase64Encoded: true };
}

/** The event `kind` delivers for a plain GET of `path` on example.com, with no headers, cookies or body. */
export function getEvent(kind: Kind, path = "/", sourceIp = "192.0.2.1"): Record<string, unknown> {
  return eventFor(kind, {
    method: "GET",
    path,
    query: "",
    headers: [],
    cookies: [],
    body: null,
    host: "example.com",
    sourceIp,
  });
}

/** The event `kind` delivers for `request`. */
export function eventFor(kind: Kind, request: ClientRequest): Record<string, unknown> {
  const query = pairs(request.query);
  switch (kind) {
    case "apigw-v1": {
      const headers = grouped(allHeaders(request, true));
      const decoded = grouped(query.map(([k, v]) => [decode(k), decode(v)]));
      const none = query.length === 0;
      return {
        resource: "/{proxy+}",
        path: request.path,
        httpMethod: request.method,
        headers: last(headers),
        multiValueHeaders: headers,
        queryStringParameters: none ? null : last(decoded),
        multiValueQueryStringParameters: none ? null : decoded,
        requestContext: {
          path: `/prod${request.path}`,
          stage: "prod",
          httpMethod: request.method,
          identity: { sourceIp: request.sourceIp },
          domainName: request.host,
          apiId: "k7x2pqw9ld",
        },
        ...body(request),
      };
    }
    case "apigw-v2":
    case "lambda-url": {
      const url = kind === "lambda-url";
      const headers = Object.fromEntries(allHeaders(request, url));
      const rawPath = url ? request.path : decodeURIComponent(request.path);
      const http = {
        method: request.method,
        path: decodeURIComponent(request.path),
        protocol: "HTTP/1.1",
        sourceIp: request.sourceIp,
        userAgent: "fc",
      };
      const domainName = url ? "t4nq7x2kz9wbe5rh3mvc8dlg6pyf0sj1.lambda-url.us-east-2.on.aws" : request.host;
      const event: Record<string, unknown> = {
        version: "2.0",
        routeKey: "$default",
        rawPath,
        rawQueryString: request.query,
        headers,
        requestContext: { domainName, http, stage: "$default", requestId: "id", routeKey: "$default" },
        ...body(request),
      };
      if (request.cookies.length > 0) event.cookies = request.cookies;
      if (event.body === null) delete event.body;
      return event;
    }
    case "alb-single":
    case "alb-multi": {
      const headers = grouped(allHeaders(request, true));
      const raw = grouped(query);
      const event: Record<string, unknown> = {
        requestContext: {
          elb: { targetGroupArn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/t/1" },
        },
        httpMethod: request.method,
        path: request.path,
      };
      if (kind === "alb-multi")
        Object.assign(event, { multiValueHeaders: headers, multiValueQueryStringParameters: raw });
      else Object.assign(event, { headers: last(headers), queryStringParameters: last(raw) });
      const { body: text, isBase64Encoded } = body(request);
      return Object.assign(event, { body: text ?? "", isBase64Encoded });
    }
    case "vpc-lattice":
      return {
        version: "2.0",
        path: request.path,
        method: request.method,
        headers: grouped(allHeaders(request, true)),
        queryStringParameters: grouped(query.map(([k, v]) => [decode(k), decode(v)])),
        requestContext: {
          serviceNetworkArn: "arn:aws:vpc-lattice:us-east-2:123456789012:servicenetwork/sn-0bf3f2882e9cc805a",
          serviceArn: "arn:aws:vpc-lattice:us-east-2:123456789012:service/svc-0a40eebed65f8d69c",
          targetGroupArn: "arn:aws:vpc-lattice:us-east-2:123456789012:targetgroup/tg-6d0ecf831eec9f09",
          identity: { sourceVpcArn: "arn:aws:ec2:region:123456789012:vpc/vpc-0b8276c84697e7339", type: "AWS_IAM" },
          region: "us-east-2",
          timeEpoch: "1690497599177430",
        },
        ...body(request),
      };
    case "lambda-edge": {
      const headers: Record<string, { key: string; value: string }[]> = {};
      for (const [name, value] of allHeaders(request, true))
        headers[name] = [...(Object.hasOwn(headers, name) ? headers[name] : []), { key: name, value }];
      const cfRequest: Record<string, unknown> = {
        clientIp: request.sourceIp,
        headers,
        method: request.method,
        querystring: request.query,
        uri: request.path,
      };
      if (request.body !== null)
        cfRequest.body = {
          inputTruncated: false,
          action: "read-only",
          encoding: "base64",
          data: Buffer.from(request.body).toString("base64"),
        };
      return {
        Records: [
          {
            cf: {
              config: {
                distributionDomainName: "d111111abcdef8.cloudfront.net",
                distributionId: "EDFDVBD6EXAMPLE",
                eventType: "origin-request",
                requestId: "4TyzHTaYWb1GX1qTfsHhEqV6HUDd_BzoBZnwfnvQc_1oF26ClkoUSEQ==",
              },
              request: cfRequest,
            },
          },
        ],
      };
    }
  }
}

/** The query pairs the application can still see after the front door: ALB single-value mode keeps the last of each name. */
export function survivingQuery(kind: Kind, query: string): [string, string][] {
  const list = pairs(query).map(([k, v]) => [decode(k), decode(v)] as [string, string]);
  if (kind !== "alb-single") return list;
  const raw = last(grouped(pairs(query)));
  return Object.entries(raw).map(([k, v]) => [decode(k), decode(v)]);
}

// Which front door sent an event (the order of the checks matters), and how a Response body goes back.
import { isUtf8 } from "node:buffer";
import { describe, TsgiError } from "../src/errors.ts";
import { isBodyless } from "../src/no-body.ts";
import { ServerContext } from "../src/server/context.ts";
import { readAll } from "../src/server/fast/body.ts";
import { installFastGlobals } from "../src/server/fast/globals.ts";
import { FastResponse } from "../src/server/fast/response.ts";
import { abortRequestAt } from "../src/server/lazy-signal.ts";
import type { PendingWork } from "../src/server/pending-work.ts";
import { MalformedEventError, UnknownEventError } from "./aws-lambda-errors.ts";
import { type EventKind, type Head, splitHeaders } from "./aws-lambda-event-kind.ts";
import { apiGatewayV1, apiGatewayV2 } from "./aws-lambda-events-gateway.ts";
import { albMulti, albSingle, lambdaEdge, vpcLattice } from "./aws-lambda-events-targets.ts";
import type { BodyEncoding } from "./aws-lambda-options.ts";
import type { Fields } from "./aws-lambda-request.ts";

const isObject = (value: unknown): value is Fields => typeof value === "object" && value !== null;

/**
 * The kind of an HTTP event, or an error naming what the event looks like. `version` is compared with
 * exact strings: EventBridge events carry `version: "0"`.
 */
export function detect(event: unknown): EventKind {
  if (!isObject(event)) throw new UnknownEventError(`expected an HTTP event object, got ${describe(event)}`);
  const context = event.requestContext;
  if (isObject(context)) {
    if (isObject(context.elb)) return "multiValueHeaders" in event ? albMulti : albSingle;
    if (typeof context.serviceNetworkArn === "string" || typeof context.serviceArn === "string") return vpcLattice;
    if (event.version === "2.0") {
      if (!isObject(context.http)) throw new MalformedEventError("API Gateway payload 2.0", "requestContext.http");
      return apiGatewayV2;
    }
    if ((event.version === "1.0" || event.version === undefined) && "httpMethod" in event) return apiGatewayV1;
  }
  if (Array.isArray(event.Records) && isObject(event.Records[0])) {
    const { cf, eventSource, EventSource } = event.Records[0];
    if (!isObject(cf))
      throw new UnknownEventError(
        `not an HTTP event: Records[0].eventSource is ${JSON.stringify(eventSource ?? EventSource)}`,
      );
    if (isObject(cf.request) && !("response" in cf)) return lambdaEdge;
    throw new UnknownEventError(
      `a Lambda@Edge ${isObject(cf.config) ? cf.config.eventType : "response"} event is not a request to answer`,
    );
  }
  if (typeof event.source === "string" && "detail-type" in event) {
    throw new UnknownEventError(
      `not an HTTP event: an EventBridge event from ${event.source} (${String(event["detail-type"])})`,
    );
  }
  if (event.version === "2.0" || "httpMethod" in event || "rawPath" in event)
    throw new MalformedEventError("API Gateway", "requestContext");
  throw new UnknownEventError(`not an HTTP event; its keys: ${Object.keys(event).slice(0, 6).join(", ")}`);
}

const textType =
  /^\s*(?:text\/[^;\s]+|application\/(?:json|javascript|ecmascript|xml|x-www-form-urlencoded|x-ndjson|[^;\s]+\+(?:json|xml))|image\/svg\+xml)\s*(?:;|$)/i;
const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i;

// The decision per Content-Type value, so that an application's few types are parsed once each.
const decided = new Map<string, boolean>();

/** Text goes as text when its type and charset say UTF-8 and it is not compressed; all else as base64. */
export function isText({ headers }: Head): boolean {
  const type = headers["content-type"];
  const encoding = headers["content-encoding"];
  if (type === undefined || (encoding !== undefined && encoding.toLowerCase() !== "identity")) return false;
  let text = decided.get(type);
  if (text === undefined) {
    const set = charset.exec(type)?.[1].toLowerCase();
    text = textType.test(type) && (set === undefined || set === "utf-8" || set === "utf8" || set === "us-ascii");
    if (decided.size < 64) decided.set(type, text);
  }
  return text;
}

// Node's own Response is read through its stream: its arrayBuffer() copies the whole body once more. A light
// one's arrayBuffer() is its body as it is, where asking for its stream would make one.
async function bodyBytes(response: Response): Promise<Buffer> {
  const all = FastResponse.isLight(response)
    ? new Uint8Array(await response.arrayBuffer())
    : await readAll(response.body as ReadableStream<Uint8Array>);
  return Buffer.from(all.buffer, all.byteOffset, all.byteLength);
}

/** The result for a Response: its body read whole, as text where that is lossless, else base64. */
export async function bufferedResult(
  kind: EventKind,
  response: Response,
  method: string,
  encoding: BodyEncoding | undefined,
  report: (error: unknown) => void,
): Promise<object> {
  const head = splitHeaders(response, kind.proxied);
  if (FastResponse.hasNullBody(response) || isBodyless(method, response.status)) {
    if (!FastResponse.hasNullBody(response)) response.body?.cancel().catch(() => {});
    return kind.result(response, { head, body: "", base64: false, report });
  }
  const wanted = encoding?.(response) ?? (isText(head) ? "text" : "base64");
  const bytes = await bodyBytes(response);
  if (wanted === "text") {
    // A lossless decode has no U+FFFD, or the bytes were valid UTF-8 that contained it; else base64.
    const text = bytes.toString("utf8");
    if (!text.includes("\uFFFD") || isUtf8(bytes))
      return kind.result(response, { head, body: text, base64: false, report });
  }
  return kind.result(response, { head, body: bytes.toString("base64"), base64: true, report });
}

/** What Lambda's Node.js runtime passes as `context`; only the remaining time is used. */
export interface LambdaContext {
  getRemainingTimeInMillis(): number;
  readonly awsRequestId?: string;
  readonly functionName?: string;
  callbackWaitsForEmptyEventLoop?: boolean;
}

/** `ctx.platform` on Lambda: the raw event and context. */
export interface LambdaPlatform {
  event: unknown;
  context: LambdaContext;
}

/** One invocation under way: its Request (whose signal the adapter aborts and releases) and `ctx`. */
export interface Invocation {
  request: Request;
  ctx: ServerContext<LambdaPlatform>;
}

// Abort a little before Lambda stops the function, so the application can still answer.
const abortMargin = 50;

/**
 * Builds the Request of an event of `kind` (its signal aborts as the time runs out) and `ctx`; throws
 * `BadRequestError` for a request no server would take, `MalformedEventError` for fields of the wrong type.
 */
export function begin(
  kind: EventKind,
  event: unknown,
  context: LambdaContext,
  keepStage: boolean,
  work: PendingWork,
): Invocation {
  const remaining =
    typeof context?.getRemainingTimeInMillis === "function" ? context.getRemainingTimeInMillis() : Infinity;
  const fields = event as Fields;
  let request: Request;
  let remoteAddress: string | undefined;
  try {
    request = kind.request(fields, keepStage);
    remoteAddress = kind.remoteAddress(fields);
  } catch (error) {
    if (error instanceof TsgiError) throw error;
    // A field of the wrong type (a header that is an object, say) is named, not a TypeError from inside.
    throw new MalformedEventError(
      kind.format,
      `fields of the documented types (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  const ctx = new ServerContext<LambdaPlatform>("aws-lambda", remoteAddress, { event, context }, work, request);
  abortRequestAt(request, Date.now() + remaining - abortMargin, "the Lambda invocation ran out of time");
  return { request, ctx };
}

/**
 * Loads Node's fetch classes (tens of ms on first use) while the handler is made, in Lambda's init
 * phase, so that the first invocation does not pay for them; with fastGlobals, puts tsgi's in the
 * globals instead, leaving Node's classes unloaded until the application needs one: its cold start.
 */
export function warmUp(fastGlobals: boolean): void {
  if (fastGlobals) return installFastGlobals({ lazy: true });
  void new Request("http://localhost/", { method: "POST", body: "" })
    .arrayBuffer()
    .then(() => new Response("").arrayBuffer());
}

// Response streaming: "Response streaming for Lambda functions" and "Set up a Lambda proxy integration
// with payload response streaming in API Gateway". `awslambda` is a global of Lambda's Node.js runtime.
import { toHandler } from "../src/app.ts";
import { traced } from "../src/server/tracing.ts";
import { callApp, clientError } from "../src/server/call-app.ts";
import { BadRequestError, TsgiError } from "../src/errors.ts";
import { isBodyless } from "../src/no-body.ts";
import { PendingWork } from "../src/server/pending-work.ts";
import type { App, Env } from "../src/types.ts";
import { abortRequest, releaseRequest } from "../src/server/lazy-signal.ts";
import { UnknownEventError } from "./aws-lambda-errors.ts";
import { type EventKind, splitHeaders } from "./aws-lambda-event-kind.ts";
import { begin, detect, type Invocation, type LambdaContext, warmUp } from "./aws-lambda-events.ts";
import { type LambdaOptions, resolveLambdaOptions } from "./aws-lambda-options.ts";

/** An event kind whose front door can stream a response. */
type StreamingKind = EventKind & Required<Pick<EventKind, "prelude">>;

type StreamEvent = "drain" | "finish" | "close" | "error";

/** The part of Lambda's response stream (a Node `Writable`) the adapter uses. */
export interface ResponseStream {
  write(chunk: Uint8Array | string): boolean;
  end(): void;
  destroy(error?: Error): void;
  readonly destroyed: boolean;
  readonly writableEnded: boolean;
  readonly writableFinished: boolean;
  on(event: StreamEvent, listener: () => void): unknown;
  off(event: StreamEvent, listener: () => void): unknown;
}

/** A handler as `awslambda.streamifyResponse` takes it and returns it. */
export type StreamingLambdaHandler = (
  event: unknown,
  responseStream: ResponseStream,
  context: LambdaContext,
) => Promise<void>;

interface AwsLambdaGlobal {
  streamifyResponse(handler: StreamingLambdaHandler): StreamingLambdaHandler;
  HttpResponseStream: { from(stream: ResponseStream, metadata: object): ResponseStream };
}

/** Resolves on the first of `events`; with "close" and "error" among them it never waits on a dead stream. */
function once(stream: ResponseStream, events: StreamEvent[]): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      for (const event of events) stream.off(event, done);
      resolve();
    };
    for (const event of events) stream.on(event, done);
  });
}

const drainEvents: StreamEvent[] = ["drain", "close", "error"];
const endEvents: StreamEvent[] = ["finish", "close", "error"];

/** Ends the stream and resolves once the runtime has taken all of it (or the stream is gone). */
function end(stream: ResponseStream): Promise<void> {
  const ended = once(stream, endEvents);
  stream.end();
  return ended;
}

/** Prelude first (even with no body), then the body chunk by chunk at the pace the client reads. */
async function send(
  awslambda: AwsLambdaGlobal,
  kind: StreamingKind,
  raw: ResponseStream,
  response: Response,
  method: string,
  report: (error: unknown) => void,
): Promise<void> {
  const stream = awslambda.HttpResponseStream.from(raw, kind.prelude(response, splitHeaders(response, kind.proxied)));
  // The runtime writes the prelude on the first write(), never on end() (runtime interface client #97).
  stream.write("");
  const body = response.body;
  if (body === null || isBodyless(method, response.status)) {
    body?.cancel().catch(() => {});
    return end(stream);
  }
  const reader = body.getReader();
  const gone = (): void => void reader.cancel().catch(() => {});
  stream.on("close", gone);
  try {
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      if (stream.destroyed) return;
      if (!stream.write(chunk.value)) await once(stream, drainEvents);
    }
    if (!stream.destroyed) await end(stream);
  } catch (error) {
    // The status is sent: an error in the body can only cut the stream.
    reader.cancel(error).catch(() => {});
    if (!stream.destroyed) {
      report(error);
      stream.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  } finally {
    stream.off("close", gone);
  }
}

/**
 * The application as a response-streaming Lambda handler, for Function URLs with `InvokeMode:
 * RESPONSE_STREAM` and REST APIs whose integration streams. Status, headers and cookies go first;
 * the body follows as it is produced, waiting for `drain`; `waitUntil` work runs after the response.
 *
 * @example
 * import { toStreamingLambdaHandler } from "tsgi/aws-lambda";
 * export const handler = toStreamingLambdaHandler(app);
 */
export function toStreamingLambdaHandler<E = Env>(app: App<E>, options: LambdaOptions<E> = {}): StreamingLambdaHandler {
  const awslambda = (globalThis as { awslambda?: AwsLambdaGlobal }).awslambda;
  if (typeof awslambda?.streamifyResponse !== "function") {
    throw new TsgiError(
      "TSGI_LAMBDA_NO_STREAMING",
      "tsgi/aws-lambda: response streaming needs the awslambda global of Lambda's Node.js runtime",
    );
  }
  const handler = traced(toHandler(app));
  const { env, onError, keepStage, fastGlobals } = resolveLambdaOptions(options);
  const work = new PendingWork(onError);
  warmUp(fastGlobals);
  return awslambda.streamifyResponse(async (event, responseStream, context) => {
    const kind = detect(event);
    if (!streams(kind))
      throw new UnknownEventError(`${kind.format} events cannot be answered by streaming; use toLambdaHandler`);
    let invocation: Invocation;
    try {
      invocation = begin(kind, event, context, keepStage, work);
    } catch (error) {
      if (!(error instanceof BadRequestError)) throw error;
      return send(awslambda, kind, responseStream, clientError(400, "Bad Request"), "GET", onError);
    }
    const { request, ctx } = invocation;
    // The stream closes after a complete response too; only a close before that means the client left.
    const left = (): void => {
      if (!responseStream.writableFinished)
        abortRequest(request, new DOMException("the client went away", "AbortError"));
    };
    responseStream.on("close", left);
    try {
      const response = await callApp(handler, request, env, ctx, onError);
      await send(awslambda, kind, responseStream, response, request.method, (error) => onError(error, request));
    } finally {
      responseStream.off("close", left);
      releaseRequest(request);
    }
    if (work.size > 0) await work.settled();
  });
}

const streams = (kind: EventKind): kind is StreamingKind => kind.prelude !== undefined;

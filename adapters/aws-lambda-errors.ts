// The errors only the Lambda adapter throws or reports; each has a stable code.
import { TsgiError } from "../src/errors.ts";

/**
 * The event is not one of the HTTP events Lambda delivers (S3, SQS, EventBridge, ...).
 *
 * @example
 * await handler(sqsEvent, context).catch((error) => error.code); // "TSGI_LAMBDA_UNKNOWN_EVENT"
 */
export class UnknownEventError extends TsgiError {
  constructor(message: string) {
    super("TSGI_LAMBDA_UNKNOWN_EVENT", `tsgi/aws-lambda: ${message}`);
  }
}

/**
 * The event looks like an HTTP event but lacks a field the adapter needs.
 *
 * @example
 * await handler({ version: "2.0", requestContext: {} }, context); // rejects: "... without requestContext.http"
 */
export class MalformedEventError extends TsgiError {
  constructor(kind: string, field: string) {
    super("TSGI_LAMBDA_MALFORMED_EVENT", `tsgi/aws-lambda: ${kind} event without ${field}`);
  }
}

/**
 * An ALB (multi-value headers off) or VPC Lattice result carries one Set-Cookie; the others were dropped.
 *
 * @example
 * toLambdaHandler(app, { onError: (error) => error instanceof DroppedCookiesError && console.warn(error.message) });
 */
export class DroppedCookiesError extends TsgiError {
  constructor(dropped: number) {
    super("TSGI_LAMBDA_COOKIES_DROPPED", `tsgi/aws-lambda: ${dropped} Set-Cookie dropped; this format carries one`);
  }
}

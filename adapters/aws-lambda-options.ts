import { InvalidOptionError } from "../src/errors.ts";
import { logError } from "../src/server/call-app.ts";
import { processEnv } from "../src/server/env.ts";
import type { Env, ErrorReporter } from "../src/types.ts";

/** `"text"` or `"base64"` to force how a response body is sent, `undefined` for the default rule. */
export type BodyEncoding = (response: Response) => "text" | "base64" | undefined;

/** Options of `toLambdaHandler` and `toStreamingLambdaHandler`. */
export interface LambdaOptions<E = Env> {
  /** The application's `env`; default the process environment. */
  env?: E;
  /** Called with every error the application throws or its `waitUntil` work rejects with. Default: logged. */
  onError?: ErrorReporter;
  /** Keep an API Gateway stage (`/prod/...`) in the URL the application sees. Default false: stripped. */
  keepStage?: boolean;
  /** Force a response body to `"text"` or `"base64"`; `undefined` keeps the rule (content type and encoding). */
  bodyEncoding?: BodyEncoding;
  /**
   * Put tsgi's lightweight `Request`, `Response` and `Headers` in the process's globals: Node's own are
   * then built only when the application needs them (docs/node.md, fastGlobals). Default false.
   */
  fastGlobals?: boolean;
}

/** The options with their defaults, checked once when the handler is made. */
export interface ResolvedLambdaOptions<E> {
  env: E;
  onError: ErrorReporter;
  keepStage: boolean;
  bodyEncoding: BodyEncoding | undefined;
  fastGlobals: boolean;
}

/**
 * Fills in the defaults of `LambdaOptions`; throws `InvalidOptionError` for a value it cannot use.
 *
 * @example
 * const { env, onError } = resolveLambdaOptions({ keepStage: true });
 */
export function resolveLambdaOptions<E = Env>(options: LambdaOptions<E> = {}): ResolvedLambdaOptions<E> {
  if (typeof options !== "object" || options === null)
    throw new InvalidOptionError("tsgi/aws-lambda: options must be an object");
  for (const name of ["onError", "bodyEncoding"] as const) {
    if (options[name] !== undefined && typeof options[name] !== "function")
      throw new InvalidOptionError(`tsgi/aws-lambda: ${name} must be a function`);
  }
  return {
    env: options.env ?? (processEnv() as E),
    onError: options.onError ?? logError,
    keepStage: options.keepStage === true,
    bodyEncoding: options.bodyEncoding,
    fastGlobals: options.fastGlobals === true,
  };
}

// logger(): one line per request, written once its response body has gone out (or the client left).
import { InvalidOptionError } from "../src/errors.ts";
import { isBodyless } from "../src/no-body.ts";
import type { Env, Middleware } from "../src/types.ts";

/** What a log line is made of: one finished request. */
export interface RequestLog {
  request: Request;
  /** The status sent; 500 when the application threw (the server answers 500 then). */
  status: number;
  /** Body bytes handed to the server (0 for HEAD, 204, 304 and bodiless responses). */
  bytes: number;
  /** Milliseconds from the call to the last body byte. */
  ms: number;
  /** When the request came, for formats that print it. */
  start: Date;
  /** `ctx.remoteAddress`, for formats that print it. */
  remoteAddress: string | undefined;
}

/** Options of `logger()`. */
export interface LoggerOptions {
  /** Where each line goes. Default `console.log`. */
  write?: (line: string) => void;
  /** `"short"` (default): `GET /path 200 1234b 5.1ms`; `"common"`: the Common Log Format; or a function. */
  format?: "short" | "common" | ((log: RequestLog) => string);
}

function pathOf(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  return start === -1 ? "/" : url.slice(start);
}

function short(log: RequestLog): string {
  return `${log.request.method} ${pathOf(log.request.url)} ${log.status} ${log.bytes}b ${log.ms.toFixed(1)}ms`;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const two = (n: number) => String(n).padStart(2, "0");

/**
 * The Common Log Format (NCSA httpd, Apache's `common`): `host - - [day/Mon/year:hh:mm:ss +0000] "METHOD
 * path HTTP/1.1" status bytes`, in UTC, with `-` for an unknown host and an empty body.
 *
 * @example
 * logger({ format: commonLogFormat }); // the same as logger({ format: "common" })
 */
export function commonLogFormat(log: RequestLog): string {
  const d = log.start;
  const date = `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
  const line = `${log.request.method} ${pathOf(log.request.url)} HTTP/1.1`.replaceAll('"', "%22");
  return `${log.remoteAddress ?? "-"} - - [${date}] "${line}" ${log.status} ${log.bytes === 0 ? "-" : log.bytes}`;
}

function formatter(format: LoggerOptions["format"] = "short"): (log: RequestLog) => string {
  if (typeof format === "function") return format;
  if (format === "short") return short;
  if (format === "common") return commonLogFormat;
  throw new InvalidOptionError(`logger: format must be "short", "common" or a function, got ${String(format)}`);
}

// The body again, counting what the server reads of it; `done` runs once, at its end, failure or cancel.
function counted(body: ReadableStream<Uint8Array>, done: (bytes: number) => void): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let bytes = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let result: ReadableStreamReadResult<Uint8Array>;
        try {
          result = await reader.read();
        } catch (error) {
          done(bytes);
          throw error;
        }
        if (result.done) {
          controller.close();
          return done(bytes);
        }
        bytes += result.value.byteLength;
        controller.enqueue(result.value);
      },
      cancel(reason) {
        done(bytes);
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * Logs one line per request: method, path, status, body bytes and milliseconds, once the body has been sent
 * (`GET /items?page=2 200 5120b 3.2ms`), to `console.log` or the `write` given; `format: "common"` writes the
 * Common Log Format instead.
 *
 * @example
 * import { logger } from "tsgi/middleware";
 * export default compose(logger())(app);
 */
export function logger<E = Env>(options: LoggerOptions = {}): Middleware<E> {
  const format = formatter(options.format);
  const write = options.write ?? ((line: string) => console.log(line));
  return (next) => (request, env, ctx) => {
    const start = new Date();
    const began = performance.now();
    const log = (status: number, bytes: number): void => {
      const ms = performance.now() - began;
      write(format({ request, status, bytes, ms, start, remoteAddress: ctx.remoteAddress }));
    };
    const answer = (response: Response): Response => {
      // A HEAD answer's body, if any, is never sent, nor a 204's or 304's; a bodiless one is done already.
      if (!(response instanceof Response) || response.body === null || isBodyless(request.method, response.status)) {
        log(response instanceof Response ? response.status : 500, 0);
        return response;
      }
      const { status, statusText, headers } = response;
      return new Response(
        counted(response.body, (bytes) => log(status, bytes)),
        { status, statusText, headers },
      );
    };
    const failed = (error: unknown): never => {
      log(500, 0);
      throw error;
    };
    let response: Response | Promise<Response>;
    try {
      response = next(request, env, ctx);
    } catch (error) {
      return failed(error);
    }
    return response instanceof Promise ? response.then(answer, failed) : answer(response);
  };
}

// fromNodeListener's `direct` mode under tsgi/node's own serve: the listener answers on Node's real req and
// res, with no in-memory connection, and the Response the application returns only stands for that answer.
import type { IncomingMessage, ServerResponse } from "node:http";

const answers = new WeakMap<Response, Promise<void>>();
const failures = new WeakMap<ServerResponse, (error: unknown) => void>();
// Until a direct answer is made, every response of the Node adapter is spared the lookup.
let used = false;

/**
 * The answer a placeholder Response stands for, which the Node adapter waits on instead of writing it.
 *
 * @example
 * const direct = answeredDirectly(response);
 * if (direct !== undefined) return void direct.then(finished, failed);
 */
export function answeredDirectly(response: Response): Promise<void> | undefined {
  return used ? answers.get(response) : undefined;
}

/**
 * Fails a direct answer (the listener threw, rejected, or finished without answering); false if `res` has none.
 *
 * @example
 * if (!failDirectly(res, error)) res.destroy();
 */
export function failDirectly(res: ServerResponse, error: unknown): boolean {
  const fail = failures.get(res);
  fail?.(error);
  return fail !== undefined;
}

/**
 * Hands Node's own req and res to the listener; the returned placeholder settles when the listener is done.
 * `req.url` becomes the request's path and query, which `mount` may have shortened.
 *
 * @example
 * if (ctx.runtime === "node") return answerDirectly(listener, request, ctx.platform);
 */
export function answerDirectly(
  listener: (req: IncomingMessage, res: ServerResponse) => unknown,
  request: Request,
  req: IncomingMessage,
  res: ServerResponse,
): Response {
  const url = new URL(request.url);
  req.url = url.pathname + url.search;
  const placeholder = new Response(null);
  used = true;
  answers.set(
    placeholder,
    new Promise<void>((resolve, reject) => {
      failures.set(res, reject);
      res.once("finish", () => resolve());
      res.once("close", () => resolve());
    }),
  );
  listener(req, res);
  return placeholder;
}

// fromNodeListener's `direct` mode under tsgi/node's own serve: the listener answers on Node's real req and
// res, with no in-memory connection, and the Response the application returns only stands for that answer.
import type { IncomingMessage, ServerResponse } from "node:http";

// The answer under way on a res, kept on the res itself: the Node adapter's check is one property read.
const direct = Symbol("tsgi.directAnswer");
type Answered = ServerResponse & { [direct]?: { done: Promise<void>; fail: (error: unknown) => void } };

/**
 * The direct answer under way on `res`, which the Node adapter waits on instead of writing the Response.
 *
 * @example
 * const answer = answeredDirectly(res);
 * if (answer !== undefined) return void answer.then(finished, failed);
 */
export function answeredDirectly(res: object): Promise<void> | undefined {
  return (res as Answered)[direct]?.done;
}

/**
 * Fails a direct answer (the listener threw, rejected, or finished without answering); false if `res` has none.
 *
 * @example
 * if (!failDirectly(res, error)) res.destroy();
 */
export function failDirectly(res: ServerResponse, error: unknown): boolean {
  const answer = (res as Answered)[direct];
  answer?.fail(error);
  return answer !== undefined;
}

/**
 * Hands Node's own req and res to the listener, and returns a placeholder Response; the Node adapter waits for
 * the listener's answer on res instead of writing it.
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
  let fail!: (error: unknown) => void;
  const done = new Promise<void>((resolve, reject) => {
    fail = reject;
    res.once("finish", () => resolve());
    res.once("close", () => resolve());
  });
  (res as Answered)[direct] = { done, fail };
  listener(req, res);
  // It only stands for the answer on res: the Node adapter writes nothing of it.
  return new Response(null);
}

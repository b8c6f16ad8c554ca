// Where node:http2's compatibility response tells the end of a response differently from node:http's.
import { constants } from "node:http2";
import type { ServerResponse } from "node:http";
import type { Http2ServerResponse } from "node:http2";

type NodeResponse = ServerResponse | Http2ServerResponse;

/**
 * True once the whole response went out. On node:http2 `writableFinished` means only that the stream is
 * closed, which a client's RST_STREAM also does: there the stream must have closed with NO_ERROR.
 *
 * @example
 * res.once("close", () => endedWhole(res) || abortRequest(request));
 */
export function endedWhole(res: NodeResponse): boolean {
  if (!("stream" in res)) return res.writableFinished;
  return res.writableFinished && res.stream.rstCode === constants.NGHTTP2_NO_ERROR;
}

/** True once the response is closed, whole or not: node:http2's compatibility response asks its stream. */
export function responseClosed(res: NodeResponse): boolean {
  return "stream" in res ? res.stream.destroyed : res.destroyed;
}

/**
 * Cuts a response that has started, so that the client sees it cut: on node:http2 a plain destroy resets
 * the stream with NO_ERROR, which a client takes for a complete body; INTERNAL_ERROR says it is not.
 *
 * @example
 * if (res.headersSent) cutResponse(res);
 */
export function cutResponse(res: NodeResponse): void {
  if ("stream" in res) res.stream.close(constants.NGHTTP2_INTERNAL_ERROR);
  else res.destroy();
}

// One row of the event table: how a front door's events become a Request and its results are written.
import { isHopByHop, listedBy } from "../src/server/hop-by-hop.ts";
import type { Fields } from "./aws-lambda-request.ts";

/** What a buffered result is made of: the Response's head, and its body as text or base64. */
export interface ResultParts {
  head: Head;
  body: string;
  base64: boolean;
  /** Where a kind reports what it had to leave out (a Set-Cookie its format cannot carry). */
  report(error: unknown): void;
}

/** How one HTTP front door's events become a Request and its results are written (a row of the table). */
export interface EventKind {
  /** The result format, as `responses.md` of the fixtures names them. */
  readonly format: "apigw-v1" | "apigw-v2" | "alb-single" | "alb-multi" | "vpc-lattice" | "lambda-edge";
  request(event: Fields, keepStage: boolean): Request;
  remoteAddress(event: Fields): string | undefined;
  /** The buffered result. */
  result(response: Response, parts: ResultParts): object;
  /** Where the front door can stream a response: the metadata the stream starts with (status, headers, cookies). */
  prelude?(response: Response, head: Head): object;
  /** True behind a load balancer or CloudFront, which own the connection: hop-by-hop headers are dropped. */
  readonly proxied?: boolean;
}

/** A Response's headers one string each plus the Set-Cookie list, never merged: what every result starts from. */
export interface Head {
  headers: Record<string, string>;
  cookies: string[];
}

/**
 * The Head of a Response, read in one pass (the body rule reads its content type and encoding from it too).
 * Hop-by-hop fields never go back: the front door frames the body and owns the connection. Behind a load
 * balancer or CloudFront (`proxied`), which compute the length themselves, Content-Length goes too.
 */
export function splitHeaders(response: Response, proxied?: boolean): Head {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  const listed = listedBy(response.headers.get("connection"));
  // forEach walks the same pairs as iteration (each Set-Cookie apart) without an array per entry.
  response.headers.forEach((value, name) => {
    if (name === "set-cookie") cookies.push(value);
    else if (!isHopByHop(name, listed) && !(proxied && name === "content-length")) headers[name] = value;
  });
  return { headers, cookies };
}

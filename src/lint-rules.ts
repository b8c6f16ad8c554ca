/**
 * The rules `lint()` checks, each written here once: SPEC.md's lines for them are generated from this table
 * (test/spec.test.ts; `TSGI_UPDATE_SPEC=1` rewrites them), and lint's findings name them by id.
 */

/** A broken **must** (the request or response is wrong) or a missed **should** (it works, but not everywhere). */
export type LintSeverity = "violation" | "warning";

/** Who broke the rule: the server (or a middleware acting as one) or the application. */
export type LintSide = "server" | "application";

/** The SPEC.md rule ids that `lint()` checks. */
export type LintRuleId =
  | "§3.1-b"
  | "§3.1-c"
  | "§3.1-d"
  | "§3.2-a"
  | "§3.3-a"
  | "§3.3-b"
  | "§3.3-c"
  | "§3.3-e"
  | "§3.3-f"
  | "§3.3-h"
  | "§3.3-i"
  | "§3.3-j"
  | "§3.3-k"
  | "§3.4-a"
  | "§3.4-b"
  | "§3.4-c"
  | "§3.4-d"
  | "§3.4-e"
  | "§3.4-f"
  | "§3.4-g"
  | "§3.4-h"
  | "§3.4-i"
  | "§5-b"
  | "§5-c";

/** One rule: how bad breaking it is, which side breaks it, and the rule itself. */
export interface LintRule {
  readonly severity: LintSeverity;
  readonly side: LintSide;
  /** The rule as SPEC.md states it: one sentence with one RFC 2119 keyword, in plain words (SPEC.md bolds it). */
  readonly summary: string;
}

// The severity is the sentence's keyword, as SPEC.md §2 says: a must is a violation, a should a warning.
const rule = (side: LintSide, summary: string): LintRule => ({
  severity: /\bmust\b/.test(summary.replace(/`[^`]*`/g, "")) ? "violation" : "warning",
  side,
  summary,
});

/**
 * Every rule `lint()` checks, by SPEC.md rule id, in the order SPEC.md states them.
 *
 * @example
 * lintRules["§3.2-a"]; // { severity: "violation", side: "server", summary: "`env`, the second argument, must be …" }
 */
export const lintRules: Readonly<Record<LintRuleId, LintRule>> = {
  "§3.1-b": rule(
    "server",
    "The server must pass as `request` an instance of the runtime's global `Request`: `request instanceof Request` holds, and `new Request(request)`, `request.clone()` and `console.log(request)` work.",
  ),
  "§3.1-c": rule("server", "`request.url` must be an absolute URL with the scheme `http:` or `https:`."),
  "§3.1-d": rule("server", "`request.method` must be a token (RFC 9110 §9.1), as the client sent it."),
  "§3.2-a": rule("server", "`env`, the second argument, must be an object."),
  "§3.3-a": rule(
    "server",
    '`ctx.runtime` must be one of `"node"`, `"deno"`, `"bun"`, `"workerd"`, `"aws-lambda"`, and `"test"` for the test client (§4.7).',
  ),
  "§3.3-b": rule("server", "`ctx.remoteAddress` must be a string, or `undefined` where the runtime does not know it."),
  "§3.3-c": rule(
    "server",
    "A string `ctx.remoteAddress` should be a bare IPv4 or IPv6 address, with no port and no brackets.",
  ),
  "§3.3-e": rule("server", "`ctx.waitUntil` must be a function."),
  "§3.3-f": rule("application", "The application must pass `ctx.waitUntil` a promise."),
  "§3.3-h": rule("server", "`ctx.passThroughOnException` must be a function."),
  "§3.3-i": rule("server", "`ctx.upgradeWebSocket`, where present (§5), must be a function."),
  "§3.3-j": rule("server", "`ctx.props` must be an object."),
  "§3.3-k": rule(
    "server",
    "`ctx.platform` must be an object holding what §8 lists for the runtime (`{ req, res }` on Node, `{ info }` on Deno, `{ server }` on Bun, `{ ctx }` on workerd, `{ event, context }` on Lambda).",
  ),
  "§3.4-a": rule(
    "application",
    "The application must return an instance of the runtime's global `Response`, or a `Promise` that resolves to one.",
  ),
  "§3.4-b": rule(
    "application",
    "`status` must be an integer from 200 to 599, except on the response that `ctx.upgradeWebSocket` gave (§5), which is returned as it is.",
  ),
  "§3.4-c": rule(
    "application",
    "Every header name must be a token (RFC 9110 §5.6.2), and every value a field value (RFC 9110 §5.5): no CR, LF, NUL or other control character but HTAB, and no leading or trailing whitespace.",
  ),
  "§3.4-d": rule(
    "application",
    "`statusText` must be a reason phrase (RFC 9112 §4): HTAB, SP, visible characters and obs-text only.",
  ),
  "§3.4-e": rule("application", "The body must not already be used (`bodyUsed`) or locked by a reader."),
  "§3.4-i": rule("application", "A body stream must yield `Uint8Array` chunks only."),
  "§3.4-f": rule(
    "application",
    "If the application sets Content-Length, it must be a decimal number of bytes equal to the length of the body; 0 where there is no body; and absent on a 204 (RFC 9110 §8.6).",
  ),
  "§3.4-g": rule(
    "application",
    "A response to a HEAD request, or with status 204 or 304, should not have a body: the server will not send it (§4.4).",
  ),
  "§3.4-h": rule(
    "application",
    "The application should not set connection-specific header fields (`Connection`, `Keep-Alive`, `Proxy-Connection`, `Transfer-Encoding`, and `Upgrade` but on an upgrade response): framing is the server's, and HTTP/2 forbids them (RFC 9113 §8.2.2).",
  ),
  "§5-b": rule(
    "server",
    "`ctx.upgradeWebSocket(request, options?)` must return `{ socket, response }`: `response` a `Response` that completes the handshake, `socket` the server end.",
  ),
  "§5-c": rule(
    "application",
    "An application that called `ctx.upgradeWebSocket` must return the `response` it gave, unchanged.",
  ),
};

/** The section a rule id belongs to: `§3.4` for `§3.4-a`. */
export function sectionOf(id: LintRuleId): string {
  return id.slice(0, id.lastIndexOf("-"));
}

/**
 * The rules `lint()` checks, one per SPEC.md rule id. A rule's severity follows the keyword of its sentence
 * in SPEC.md: **must** is a violation, **should** a warning; test/spec.test.ts keeps the two in step.
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

/** One rule: how bad breaking it is, which side breaks it, and what it asks in a line. */
export interface LintRule {
  readonly severity: LintSeverity;
  readonly side: LintSide;
  readonly summary: string;
}

const rule = (severity: LintSeverity, side: LintSide, summary: string): LintRule => ({ severity, side, summary });

/**
 * Every rule `lint()` checks, by SPEC.md rule id.
 *
 * @example
 * lintRules["§3.4-a"]; // { severity: "violation", side: "application", summary: "the application returns a Response, …" }
 */
export const lintRules: Readonly<Record<LintRuleId, LintRule>> = {
  "§3.1-b": rule("violation", "server", "request is an instance of the global Request"),
  "§3.1-c": rule("violation", "server", "request.url is an absolute http: or https: URL"),
  "§3.1-d": rule("violation", "server", "request.method is a token"),
  "§3.2-a": rule("violation", "server", "env is an object"),
  "§3.3-a": rule("violation", "server", "ctx.runtime is one of the runtime names"),
  "§3.3-b": rule("violation", "server", "ctx.remoteAddress is a string or undefined"),
  "§3.3-c": rule("warning", "server", "ctx.remoteAddress is a bare IP address"),
  "§3.3-e": rule("violation", "server", "ctx.waitUntil is a function"),
  "§3.3-f": rule("violation", "application", "ctx.waitUntil is given a promise"),
  "§3.3-h": rule("violation", "server", "ctx.passThroughOnException is a function"),
  "§3.3-i": rule("violation", "server", "ctx.upgradeWebSocket is a function where present"),
  "§3.3-j": rule("violation", "server", "ctx.props is an object"),
  "§3.3-k": rule("violation", "server", "ctx.platform is an object with the runtime's raw objects"),
  "§3.4-a": rule("violation", "application", "the application returns a Response, or a promise of one"),
  "§3.4-b": rule("violation", "application", "status is 200 to 599, or the upgrade response's own"),
  "§3.4-c": rule("violation", "application", "header names are tokens and values are legal field values"),
  "§3.4-d": rule("violation", "application", "statusText is a legal reason phrase"),
  "§3.4-e": rule("violation", "application", "the body is neither used nor locked"),
  "§3.4-f": rule("violation", "application", "Content-Length is digits, matches the body, and is absent on 204"),
  "§3.4-g": rule("warning", "application", "no body on a response to HEAD, or with status 204 or 304"),
  "§3.4-h": rule("warning", "application", "no connection-specific header fields"),
  "§3.4-i": rule("violation", "application", "a body stream yields Uint8Array chunks"),
  "§5-b": rule("violation", "server", "ctx.upgradeWebSocket gives { socket, response }"),
  "§5-c": rule("violation", "application", "an application that upgraded returns the upgrade's response"),
};

/** The section a rule id belongs to: `§3.4` for `§3.4-a`. */
export function sectionOf(id: LintRuleId): string {
  return id.slice(0, id.lastIndexOf("-"));
}

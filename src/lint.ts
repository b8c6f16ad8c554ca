/**
 * `lint()`: a middleware that checks, on every request, that both sides keep SPEC.md, as Rack::Lint and
 * Python's wsgiref.validate do for theirs. Put it right after the server (`serve(lint()(app))`) to check the
 * server and the application, and on both sides of a middleware to check that middleware (SPEC.md §6).
 * It passes on what it is given and what it gets back, except that `ctx.waitUntil`, `ctx.upgradeWebSocket`
 * and the response body go through checks on the way.
 *
 * What it checks is `lintRules` (src/lint-rules.ts): every rule with its SPEC.md id, severity, side and
 * sentence. The server's side (the request, `env` and `ctx`) is checked before the application runs, and what
 * `ctx.upgradeWebSocket` gives when it is called; the application's side (what it gives `ctx.waitUntil`, the
 * response, its body as it streams) while it runs and after.
 *
 * Each finding names its SPEC.md rule. A violation (a broken **must**) throws a `LintError` by default, so
 * the server answers 500 and reports it; a warning (a missed **should**) is logged.
 */
import {
  checkResponse,
  checkServerSide,
  checkUpgrade,
  checkWaitUntilArgument,
  type BodyCheck,
  type Report,
} from "./lint-checks.ts";
import { lintRules, sectionOf, type LintRuleId, type LintSeverity, type LintSide } from "./lint-rules.ts";
import { TsgiError } from "./errors.ts";
import type { Context, Env, Middleware, UpgradeWebSocketOptions, WebSocketUpgrade } from "./types.ts";

export { lintRules, type LintRule, type LintRuleId, type LintSeverity, type LintSide } from "./lint-rules.ts";

/** One thing `lint()` found. */
export interface LintFinding {
  /** The SPEC.md rule, like `§3.4-a`. */
  readonly rule: LintRuleId;
  /** Its section, like `§3.4`. */
  readonly section: string;
  readonly severity: LintSeverity;
  readonly side: LintSide;
  /** The rule id in brackets, then what was wrong: `[§3.4-a] application returned a string, not a Response`. */
  readonly message: string;
  /** The request it was found on, where the server gave a real one. */
  readonly request: Request | undefined;
}

/** Options of `lint()`. */
export interface LintOptions {
  /** Called for each violation. Default: throw a `LintError`, so the server answers 500 and reports it. */
  onViolation?: (finding: LintFinding) => void;
  /** Called for each warning. Default: `console.warn`. */
  onWarning?: (finding: LintFinding) => void;
  /** Treat warnings as violations. Default false. */
  strict?: boolean;
}

/**
 * A violation of SPEC.md that `lint()` found; `finding` says which rule and why.
 *
 * @example
 * if (error instanceof LintError) console.error(error.finding.rule, error.finding.side);
 */
export class LintError extends TsgiError {
  readonly finding: LintFinding;
  constructor(finding: LintFinding) {
    super("TSGI_LINT_VIOLATION", finding.message);
    this.finding = finding;
  }
}

const throwLintError = (finding: LintFinding): void => {
  throw new LintError(finding);
};
const logWarning = (finding: LintFinding): void => console.warn(`tsgi lint: ${finding.message}`);

/**
 * A middleware that checks that the server and the application keep SPEC.md on every request, by the
 * rules of `lintRules`.
 *
 * @example
 * const server = await serve(lint()(app), { port: 3000 });
 */
export function lint<E = Env>(options: LintOptions = {}): Middleware<E> {
  const { onViolation = throwLintError, onWarning = logWarning, strict = false } = options;
  return (next) => (request, env, ctx) => {
    const report: Report = (rule, message) => {
      const severity = strict ? "violation" : lintRules[rule].severity;
      const finding: LintFinding = {
        rule,
        section: sectionOf(rule),
        severity,
        side: lintRules[rule].side,
        message: `[${rule}] ${message}`,
        request: request instanceof Request ? request : undefined,
      };
      (severity === "violation" ? onViolation : onWarning)(finding);
    };
    checkServerSide(request, env, ctx, report);
    const upgrades = new Set<Response>();
    const method = request instanceof Request ? request.method : "GET";
    const result: unknown = next(request, env, lintedContext(ctx, report, upgrades));
    if (result instanceof Promise)
      return result.then((response: unknown) => checked(response, method, upgrades, report));
    return checked(result, method, upgrades, report);
  };
}

function checked(value: unknown, method: string, upgrades: Set<Response>, report: Report): Response {
  const upgrade = value instanceof Response && upgrades.has(value);
  if (upgrades.size > 0 && value instanceof Response && !upgrade)
    report("§5-c", "application called ctx.upgradeWebSocket but returned another Response");
  const body = checkResponse(value, method, upgrade, report);
  // A non-Response goes on as it is: the server turns it into a 500 (SPEC.md §4.5).
  if (body === undefined || !(value instanceof Response)) return value as Response;
  return withCheckedBody(value, body, report);
}

/** The same response, its body counted and its chunks checked as they stream (SPEC.md §3.4-f, §3.4-i). */
function withCheckedBody(response: Response, check: BodyCheck, report: Report): Response {
  const { declared } = check;
  let seen = 0;
  let found = false;
  const once = (rule: LintRuleId, message: string): void => {
    if (found) return;
    found = true;
    report(rule, message);
  };
  const reader = (response.body as ReadableStream<unknown>).getReader();
  // A pull that reads straight from the body, not a pipe: a body complete at once still ends within a few
  // microtasks, so a server can send it in one write with its Content-Length, as it would without lint.
  const body = new ReadableStream<unknown>({
    async pull(controller) {
      const { done, value: chunk } = await reader.read();
      if (done) {
        if (declared !== undefined && seen < declared)
          once("§3.4-f", `the body ended after ${seen} bytes; its Content-Length says ${declared}`);
        return controller.close();
      }
      if (!(chunk instanceof Uint8Array))
        once("§3.4-i", `the body stream yielded ${describeChunk(chunk)}, not a Uint8Array`);
      else seen += chunk.byteLength;
      if (declared !== undefined && seen > declared)
        once("§3.4-f", `the body has more bytes than its Content-Length of ${declared}`);
      controller.enqueue(chunk);
    },
    cancel: (reason) => reader.cancel(reason),
  });
  // Passed on as it came, so that without a throwing onViolation the server sees what it would have.
  return new Response(body as ReadableStream<Uint8Array>, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

function describeChunk(chunk: unknown): string {
  if (typeof chunk === "string") return "a string";
  return chunk === null || typeof chunk !== "object" ? String(chunk) : `a ${chunk.constructor?.name ?? "object"}`;
}

/**
 * The ctx the application gets: the server's own, with `waitUntil` and `upgradeWebSocket` checking what
 * passes through them. The seven members of SPEC.md §3.3 are read from the server's ctx once (a getter over a
 * private field works); others it added stay reachable through the prototype.
 */
function lintedContext<P>(ctx: Context<P>, report: Report, upgrades: Set<Response>): Context<P> {
  if (typeof ctx !== "object" || ctx === null) return ctx;
  const { waitUntil, upgradeWebSocket } = ctx;
  // Enumerable as in the server's ctx, so that `{ ...ctx }` keeps or drops the same members with lint as without.
  const member = (key: keyof Context, value: unknown): PropertyDescriptor => ({
    value,
    enumerable: Object.getOwnPropertyDescriptor(ctx, key)?.enumerable ?? false,
  });
  const linted: Context<P> = Object.create(ctx);
  return Object.defineProperties(linted, {
    runtime: member("runtime", ctx.runtime),
    remoteAddress: member("remoteAddress", ctx.remoteAddress),
    props: member("props", ctx.props),
    platform: member("platform", ctx.platform),
    waitUntil: member(
      "waitUntil",
      typeof waitUntil !== "function"
        ? waitUntil
        : (promise: Promise<unknown>): void => {
            checkWaitUntilArgument(promise, report);
            ctx.waitUntil(promise);
          },
    ),
    passThroughOnException: member(
      "passThroughOnException",
      typeof ctx.passThroughOnException !== "function"
        ? ctx.passThroughOnException
        : () => ctx.passThroughOnException(),
    ),
    upgradeWebSocket: member(
      "upgradeWebSocket",
      typeof upgradeWebSocket !== "function"
        ? upgradeWebSocket
        : (request: Request, options?: UpgradeWebSocketOptions): WebSocketUpgrade => {
            const upgrade = upgradeWebSocket.call(ctx, request, options);
            checkUpgrade(upgrade, report);
            if (upgrade?.response instanceof Response) upgrades.add(upgrade.response);
            return upgrade;
          },
    ),
  });
}

// The `tsgi` entry point: the types, and the functions that work on applications.
export type * from "./types.ts";
export { compose } from "./compose.ts";
export {
  lint,
  LintError,
  lintRules,
  type LintFinding,
  type LintOptions,
  type LintRule,
  type LintRuleId,
  type LintSeverity,
  type LintSide,
} from "./lint.ts";
export { mount, mountPrefix } from "./mount.ts";
export {
  BadRequestError,
  BodyTooLargeError,
  BodyUsedError,
  InvalidOptionError,
  NotAnApplicationError,
  NotAResponseError,
  RequestAbortedError,
  TsgiError,
  UnsupportedRuntimeError,
} from "./errors.ts";
export { isWebSocketRequest, WebSocketUpgradeError } from "./websocket.ts";

// The applications a test server serves, each with the options every test of it wants: adding an app is one
// entry here. server.ts serves them on node, deno and bun, worker.ts on workerd.
import chat from "../../examples/chat/app.ts";
import type { App, Handler, ServeOptions } from "../../src/types.ts";
import { conformanceApp } from "../conformance/app.ts";
import { websocketApp } from "../conformance/websocket-app.ts";
import { staticApp } from "./static-app.ts";
import { compressApp } from "./compress-app.ts";
import { tracingApp } from "./tracing-app.ts";

const MiB = 1024 * 1024;

// Express and Koa load only when the listener tests ask for them; the workerd bundle of this table leaves them
// out (test/runtimes.ts), as its workerd has no nodejs_compat (test/node-listener-targets.ts builds its own).
let listeners: Promise<Handler> | undefined;
function listenersApp(request: Request, env: Record<string, unknown>, ctx: Parameters<Handler>[2]): Promise<Response> {
  listeners ??= import("../listeners/app.ts").then((module) => module.listenersApp());
  return listeners.then((app) => app(request, env, ctx));
}

export const apps = {
  // 8 MiB: the conformance suite's body-limit cases send just past it.
  conformance: { app: conformanceApp, options: { maxBodySize: 8 * MiB } },
  websocket: { app: websocketApp, options: {} },
  chat: { app: chat, options: {} },
  // serveStatic over $TSGI_STATIC_ROOT (test/static/).
  static: { app: staticApp, options: {} },
  tracing: { app: tracingApp, options: {} },
  compress: { app: compressApp, options: {} },
  // fromNodeListener's tests send 100 MiB each way.
  listeners: { app: listenersApp, options: { maxBodySize: Number.POSITIVE_INFINITY } },
} satisfies Record<string, { app: App; options: ServeOptions }>;

export type AppName = keyof typeof apps;

/** How every test server reports application errors: one line on stderr the test can look for. */
export function reportToStderr(error: unknown): void {
  console.error(`reported: ${error instanceof Error ? error.message : String(error)}`);
}

// The listener tests' application on node, deno, bun and Lambda: Express, Koa's callback and the plain
// listener mounted beside a fetch route.
import { fromNodeListener } from "../../adapters/node.ts";
import { mount } from "../../src/mount.ts";
import type { Handler } from "../../src/types.ts";
import { listenerRoutes } from "./frameworks.ts";
import { koaApp } from "./koa.ts";

/** A fresh instance of the application. */
export function listenersApp(): Handler {
  return mount({ ...listenerRoutes(), "/koa": fromNodeListener(koaApp().callback()) });
}

export default listenersApp();

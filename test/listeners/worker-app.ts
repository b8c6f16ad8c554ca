// The listener tests' application on workerd, as `tsgi build --target cloudflare` bundles it: all but Koa,
// which needs node:v8 (not in workerd's nodejs_compat).
import { mount } from "../../src/mount.ts";
import { listenerRoutes } from "./frameworks.ts";

export default mount(listenerRoutes());

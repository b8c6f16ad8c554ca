// The WebSocket conformance worker: bundled by esbuild and run on workerd by Miniflare (test/websocket.test.ts).
// A plain toWorker, no option: ctx.upgradeWebSocket is always there on workerd.
import { toWorker } from "../../adapters/cloudflare.ts";
import { websocketApp } from "../conformance/websocket-app.ts";

export default toWorker(websocketApp);

// The WebSocket conformance worker: bundled by esbuild and run on workerd by Miniflare (test/websocket.test.ts).
// WebSockets are opt-in on workerd (they add to every bundle), hence the option.
import { toWorker, upgradeWebSocket } from "../../adapters/cloudflare.ts";
import { websocketApp } from "../conformance/websocket-app.ts";

export default toWorker(websocketApp, { upgradeWebSocket });

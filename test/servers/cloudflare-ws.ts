// The WebSocket conformance worker: bundled by esbuild and run on workerd by Miniflare (test/websocket.test.ts).
import { toWorker } from "../../adapters/cloudflare.ts";
import { websocketApp } from "../conformance/websocket-app.ts";

export default toWorker(websocketApp);

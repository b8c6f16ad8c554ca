import { serve } from "../../adapters/node.ts";
import { websocketApp } from "../conformance/websocket-app.ts";
import { reportToStderr, serveForTest } from "./announce.ts";

await serveForTest(websocketApp, serve, { onError: reportToStderr });

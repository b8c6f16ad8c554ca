import { serve } from "../../adapters/node.ts";
import { websocketApp } from "../conformance/websocket-app.ts";
import { announce, reportToStderr } from "./announce.ts";

announce(await serve(websocketApp, { port: 0, onError: reportToStderr }));

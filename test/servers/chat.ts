// The chat example (examples/chat/app.ts) on whichever runtime runs this script, for test/chat-browser.test.ts.
import { serve } from "../../adapters/serve.ts";
import chat from "../../examples/chat/app.ts";
import { reportToStderr, serveForTest } from "./announce.ts";

await serveForTest(chat, serve, { onError: reportToStderr });

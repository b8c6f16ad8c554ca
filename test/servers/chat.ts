// The chat example (examples/chat/app.ts) on whichever runtime runs this script, for test/chat-browser.test.ts.
import { serve } from "../../adapters/serve.ts";
import chat from "../../examples/chat/app.ts";
import { announce, reportToStderr } from "./announce.ts";

announce(await serve(chat, { port: 0, onError: reportToStderr }));

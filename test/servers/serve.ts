import { serve } from "../../adapters/serve.ts";
import { conformanceApp } from "../conformance/app.ts";
import { announce, reportToStderr } from "./announce.ts";

// trustProxy on: the test sends X-Forwarded-For to see each adapter pass the option on.
announce(await serve(conformanceApp, { port: 0, maxBodySize: 8 * 1024 * 1024, onError: reportToStderr, trustProxy: true }));

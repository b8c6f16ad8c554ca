import { serve } from "../../adapters/serve.ts";
import { conformanceApp } from "../conformance/app.ts";
import { reportToStderr, serveForTest } from "./announce.ts";

// trustProxy on: the test sends X-Forwarded-For to see each adapter pass the option on.
await serveForTest(conformanceApp, serve, { maxBodySize: 8 * 1024 * 1024, onError: reportToStderr, trustProxy: true });

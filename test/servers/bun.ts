import { serve } from "../../adapters/bun.ts";
import { conformanceApp } from "../conformance/app.ts";
import { reportToStderr, serveForTest } from "./announce.ts";

await serveForTest(conformanceApp, serve, { maxBodySize: 8 * 1024 * 1024, onError: reportToStderr });

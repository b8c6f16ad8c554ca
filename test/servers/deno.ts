import { serve } from "../../adapters/deno.ts";
import { conformanceApp } from "../conformance/app.ts";
import { announce, reportToStderr } from "./announce.ts";

announce(await serve(conformanceApp, { port: 0, maxBodySize: 8 * 1024 * 1024, onError: reportToStderr }));

import { serve } from "../../adapters/node.ts";
import { conformanceApp } from "../conformance/app.ts";
import { announce, reportToStderr } from "./announce.ts";

// No body limit: for the gigabyte tests.
announce(await serve(conformanceApp, { port: 0, maxBodySize: Infinity, onError: reportToStderr }));

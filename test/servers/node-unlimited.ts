import { serve } from "../../adapters/node.ts";
import { conformanceApp } from "../conformance/app.ts";
import { reportToStderr, serveForTest } from "./announce.ts";

// No body limit: for the gigabyte tests.
await serveForTest(conformanceApp, serve, { maxBodySize: Infinity, onError: reportToStderr });

// The conformance app for the reliability suite, with a one-second headers timeout.
import { serve, type NodeServeOptions } from "../../adapters/node.ts";
import { conformanceApp } from "../conformance/app.ts";
import { reportToStderr, serveForTest } from "./announce.ts";

await serveForTest<NodeServeOptions>(conformanceApp, serve, {
  headersTimeout: 1000,
  maxBodySize: 8 * 1024 * 1024,
  onError: reportToStderr,
});

// The conformance app for the reliability suite, with a ten-second idle timeout (shorter ones reset busy keep-alive connections under load).
import { serve, type BunServeOptions } from "../../adapters/bun.ts";
import { conformanceApp } from "../conformance/app.ts";
import { reportToStderr, serveForTest } from "./announce.ts";

await serveForTest<BunServeOptions>(conformanceApp, serve, {
  idleTimeout: 10,
  maxBodySize: 8 * 1024 * 1024,
  onError: reportToStderr,
});

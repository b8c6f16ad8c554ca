// The conformance worker: bundled by esbuild and run on workerd by Miniflare (test/cloudflare.test.ts).
// The limit matches the other conformance servers, and errors are reported the way theirs are (one
// "reported:" line each), so the suite counts them alike.
import { toWorker } from "../../adapters/cloudflare.ts";
import { conformanceApp } from "../conformance/app.ts";

const onError = (error: unknown): void =>
  console.error(`reported: ${error instanceof Error ? error.message : String(error)}`);

export default toWorker(conformanceApp, { maxBodySize: 8 * 1024 * 1024, onError });

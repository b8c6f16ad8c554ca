// The conformance worker: bundled by esbuild and run on workerd by Miniflare (test/cloudflare.test.ts).
// The limit matches the other conformance servers; errors go to the adapter's default, console.error.
import { toWorker } from "../../adapters/cloudflare.ts";
import { conformanceApp } from "../conformance/app.ts";

export default toWorker(conformanceApp, { maxBodySize: 8 * 1024 * 1024 });

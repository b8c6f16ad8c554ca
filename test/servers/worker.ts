// The test worker: an app of apps.ts through toWorker, bundled by esbuild and run on workerd by Miniflare
// (startWorker in test/runtimes.ts). A bundle has no command line, so the build defines the one it would get.
import { toWorker } from "../../adapters/cloudflare.ts";
import { parseServerArgs } from "./args.ts";

declare const TSGI_TEST_SERVER_ARGS: string[];

const { app, options } = parseServerArgs(TSGI_TEST_SERVER_ARGS);
export default toWorker(app, options);

// tsgi on Node behind compress(): the bench's requests carry no Accept-Encoding, so this is what compress()
// costs a response it leaves as it is (the checks and Vary); bench/middleware.ts measures coding itself.
import { serve } from "../../adapters/node.ts";
import { compress } from "../../middleware/compress.ts";
import { createBenchApp } from "../scenarios.ts";

const server = await serve(compress()(createBenchApp()), { port: 0, hostname: "127.0.0.1" });
console.log(JSON.stringify({ url: server.url }));

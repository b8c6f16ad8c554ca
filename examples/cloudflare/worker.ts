// The hello example as a Cloudflare Worker: `wrangler dev` serves it locally, `wrangler deploy` ships it.
// In an application of your own the import is `tsgi/cloudflare`.
import { toWorker } from "../../adapters/cloudflare.ts";
import hello from "../hello.ts";

export default toWorker(hello);

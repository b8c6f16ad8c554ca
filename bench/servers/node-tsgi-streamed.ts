// tsgi on Node, every body a stream that ends a turn after its last chunk: the chunked path (rewrapped.ts).
import { serveRewrapped } from "./rewrapped.ts";

await serveRewrapped(true);

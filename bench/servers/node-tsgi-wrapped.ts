// tsgi on Node, every body a stream that ends at once: the one-write path (rewrapped.ts).
import { serveRewrapped } from "./rewrapped.ts";

await serveRewrapped(false);

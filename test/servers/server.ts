// The test server: `server.ts <adapter> <app> [--option=value…]` serves an app of apps.ts through an adapter
// of adapters.ts on a free loopback port, under the CLI's own signal handling (SIGTERM closes gracefully and
// exits 0, a second one exits at once), and prints the {"url": …} line test/runtimes.ts waits for.
import process from "node:process";
import { runServer } from "../../src/cli/process.ts";
import { loadAdapter } from "./adapters.ts";
import { parseServerArgs } from "./args.ts";

const [adapter = "", ...rest] = process.argv.slice(2);
const serve = await loadAdapter(adapter);
const { app, options } = parseServerArgs(rest);
await runServer(app, (given, listen) => serve(given, { ...options, ...listen }), {
  port: 0,
  hostname: "127.0.0.1",
  announce: (server) => console.log(JSON.stringify({ url: server.url })),
});

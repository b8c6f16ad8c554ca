// The test server: `server.ts <adapter> <app> [--option=value…]` serves an app of apps.ts through an adapter
// of adapters.ts on a free loopback port, under the CLI's own signal handling (SIGTERM closes gracefully and
// exits 0, a second one exits at once), and prints the {"url": …} line test/runtimes.ts waits for. With
// TLS_CERT and TLS_KEY it serves HTTPS, read the way a built server reads them.
import process from "node:process";
import { runServer } from "../../src/cli/process.ts";
import { tlsFromEnv } from "../../src/cli/tls-files.ts";
import { loadAdapter } from "./adapters.ts";
import { parseServerArgs } from "./args.ts";

const [adapter = "", ...rest] = process.argv.slice(2);
const serve = await loadAdapter(adapter);
const { app, options } = parseServerArgs(rest);
await runServer(app, (given, listen) => serve(given, { ...options, ...listen }), {
  port: 0,
  hostname: "127.0.0.1",
  tls: tlsFromEnv(),
  announce: (server) => console.log(JSON.stringify({ url: server.url })),
});

// The floor on Bun: Bun.serve calling the bench application directly.
import { createBenchApp } from "../scenarios.ts";

declare const Bun: {
  serve(options: { port: number; hostname: string; fetch: (request: Request) => Response | Promise<Response> }): {
    url: URL;
  };
};

const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: createBenchApp() });
console.log(JSON.stringify({ url: server.url.href }));

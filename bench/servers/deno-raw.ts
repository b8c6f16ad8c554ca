// The floor on Deno: Deno.serve calling the bench application directly.
import { createBenchApp } from "../scenarios.ts";

interface ServeOptions {
  port: number;
  hostname: string;
  onListen(address: { port: number }): void;
}
declare const Deno: {
  serve(options: ServeOptions, handler: (request: Request) => Response | Promise<Response>): unknown;
};

Deno.serve(
  {
    port: 0,
    hostname: "127.0.0.1",
    onListen: ({ port }) => console.log(JSON.stringify({ url: `http://127.0.0.1:${port}/` })),
  },
  createBenchApp(),
);

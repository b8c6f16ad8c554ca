// bench/static.ts on Deno, the floor: Deno.serve answering with the file's own stream, with no checks at all.
import process from "node:process";

declare const Deno: {
  serve(
    options: { port: number; hostname: string; onListen(address: { port: number }): void },
    handler: (request: Request) => Promise<Response>,
  ): unknown;
  open(path: string): Promise<{ readable: ReadableStream<Uint8Array> }>;
};

const root = process.env.TSGI_BENCH_STATIC_ROOT ?? ".";
Deno.serve(
  {
    port: 0,
    hostname: "127.0.0.1",
    onListen: ({ port }) => console.log(JSON.stringify({ url: `http://127.0.0.1:${port}/` })),
  },
  async (request) => new Response((await Deno.open(root + new URL(request.url).pathname)).readable),
);

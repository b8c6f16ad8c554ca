// bench/static.ts on Bun, the floor: Bun.serve answering with Bun.file of the path, with no checks at all.
declare const Bun: {
  serve(options: { port: number; hostname: string; fetch: (request: Request) => Response }): { url: URL };
  file(path: string): Blob;
};

const root = process.env.TSGI_BENCH_STATIC_ROOT ?? ".";
const server = Bun.serve({
  port: 0,
  hostname: "127.0.0.1",
  fetch: (request) => new Response(Bun.file(root + new URL(request.url).pathname)),
});
console.log(JSON.stringify({ url: server.url.href }));

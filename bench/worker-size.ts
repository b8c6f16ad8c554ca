// What the Cloudflare adapter adds to a Worker bundle: the hello example bundled by esbuild (minified, as
// wrangler would ship it) as a plain `export default { fetch }` worker and through `toWorker`; the
// difference is the adapter's share, its WebSocket socket included (always in: the check at the end says
// whether the hello bundle carries WebSocketPair). Hono's and srvx's Workers bundles of a like hello app for comparison.
// Run: node scripts/node.mjs bench/worker-size.ts
import { build } from "esbuild";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const root = fileURLToPath(new URL("..", import.meta.url));

const entries: Record<string, string> = {
  "plain { fetch }": `import hello from "./examples/hello.ts"; export default { fetch: hello };`,
  "toWorker(hello)": `import { toWorker } from "./adapters/cloudflare.ts"; import hello from "./examples/hello.ts"; export default toWorker(hello);`,
  "plain { fetch }, text only": `export default { fetch: () => new Response("Hello!") };`,
  "hono: export default app": `import { Hono } from "hono"; export default new Hono().get("*", (c) => c.text("Hello!"));`,
  "srvx/cloudflare serve": `import { serve } from "srvx/cloudflare"; export default serve({ fetch: () => new Response("Hello!") });`,
};

interface Size {
  raw: number;
  gzip: number;
  code: string;
}

async function bundle(contents: string): Promise<Size> {
  const result = await build({
    stdin: { contents, resolveDir: root, loader: "ts", sourcefile: "worker.ts" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["module", "main"],
    write: false,
    logLevel: "silent",
  });
  const code = result.outputFiles[0].contents;
  return { raw: code.byteLength, gzip: gzipSync(code, { level: 9 }).byteLength, code: result.outputFiles[0].text };
}

const sizes = new Map<string, Size>();
for (const [name, contents] of Object.entries(entries)) sizes.set(name, await bundle(contents));

const row = (name: string, size: Omit<Size, "code">) => `| ${name} | ${size.raw} | ${size.gzip} |`;
console.log("| worker (esbuild --minify, gzip -9) | raw bytes | gzipped bytes |\n| --- | --- | --- |");
for (const [name, size] of sizes) console.log(row(name, size));
const plain = sizes.get("plain { fetch }")!;
const adapted = sizes.get("toWorker(hello)")!;
const textOnly = sizes.get("plain { fetch }, text only")!;
console.log(
  row("**tsgi adapter's share** (toWorker − plain)", { raw: adapted.raw - plain.raw, gzip: adapted.gzip - plain.gzip }),
);
for (const peer of ["hono: export default app", "srvx/cloudflare serve"]) {
  const size = sizes.get(peer)!;
  console.log(
    row(`${peer.split(":")[0].split("/")[0]}'s share (− text-only plain)`, {
      raw: size.raw - textOnly.raw,
      gzip: size.gzip - textOnly.gzip,
    }),
  );
}
console.log(
  `\ntoWorker(hello) carries the WebSocket socket (WebSocketPair in the bundle): ${adapted.code.includes("WebSocketPair") ? "yes" : "no"}`,
);

// Builds the published package: esbuild compiles each source file to JavaScript (imports rewritten from
// .ts to .js, nothing bundled), and the TypeScript compiler writes the declarations beside them.
import { build, type Plugin } from "esbuild";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const sources = ["src", "middleware", "adapters", "bin"].flatMap(function modules(dir: string): string[] {
  if (!existsSync(`${root}${dir}`)) return [];
  return readdirSync(`${root}${dir}`, { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return modules(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
});

// Keeps every import as an import: relative ones now point at the compiled .js files.
const keepImports: Plugin = {
  name: "keep-imports",
  setup(builder) {
    builder.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === "entry-point") return undefined;
      return { path: args.path.replace(/\.ts$/, ".js"), external: true };
    });
  },
};

rmSync(`${root}dist`, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: sources,
  outdir: "dist",
  outbase: ".",
  bundle: true,
  format: "esm",
  platform: "neutral",
  target: "es2022",
  plugins: [keepImports],
  logLevel: "warning",
});
execFileSync(`${root}node_modules/.bin/tsc`, ["-p", "tsconfig.build.json"], { cwd: root, stdio: "inherit" });
// Declarations point at the .d.ts files of the compiled .js, as every consumer's resolver expects.
for (const source of sources) {
  const file = `${root}dist/${source.replace(/\.ts$/, ".d.ts")}`;
  writeFileSync(file, readFileSync(file, "utf8").replace(/(from\s+["']\.{1,2}\/[^"']+)\.ts(["'])/g, "$1.js$2"));
}
console.log(`built ${sources.length} modules into dist/`);

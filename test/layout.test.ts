// The layout CONTRIBUTING.md describes, kept: imports run one way (core ← kit ← adapters and CLI), no module
// imports itself through others (type-only imports count too), and files stay small enough to read.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));

function files(dir: string): string[] {
  if (!existsSync(join(root, dir))) return [];
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return entry.name === "node_modules" || entry.name === "results" ? [] : files(path);
    return /\.(ts|mjs)$/.test(entry.name) ? [path] : [];
  });
}

const sources = ["src", "middleware", "adapters", "bin"].flatMap((dir) => files(dir));
const tests = files("test");
const tools = [...files("bench"), ...files("scripts"), ...files("examples")];

// Every relative import: static, `export … from`, dynamic `import("…")` and `import type`.
const importPattern = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)["'](\.{1,2}\/[^"']+)["']/gm;

/** The repository files `file` imports, as paths from the root. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), "utf8");
  return [...text.matchAll(importPattern)].map((match) => normalize(join(dirname(file), match[1])));
}

/** Every cycle in the graph, each once, as the list of files around it. */
function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (file: string): void => {
    state.set(file, "open");
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === "open") found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, "done");
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return found;
}

/** Who a file is for, by its folder. */
function layer(file: string): "core" | "kit" | "middleware" | "cli" | "adapter" | "bin" | "other" {
  if (file.startsWith("src/server/")) return "kit";
  if (file.startsWith("middleware/")) return "middleware";
  if (file.startsWith("src/cli/")) return "cli";
  if (file.startsWith("src/")) return "core";
  if (file.startsWith("adapters/")) return "adapter";
  if (file.startsWith("bin/")) return "bin";
  return "other";
}

// What each layer may import; everything else is a wrong-way import.
const allowed: Record<ReturnType<typeof layer>, ReturnType<typeof layer>[]> = {
  core: ["core"],
  kit: ["core", "kit"],
  middleware: ["core", "kit", "middleware"],
  adapter: ["core", "kit", "adapter"],
  cli: ["core", "kit", "middleware", "cli"],
  bin: ["cli"],
  other: ["core", "kit", "middleware", "cli", "adapter", "bin", "other"],
};

describe("the layout", () => {
  const graph = new Map([...sources, ...tests, ...tools].map((file) => [file, importsOf(file)]));

  it("reads the import graph", () => {
    expect(graph.get("src/index.ts")).toContain("src/types.ts");
    expect(graph.get("src/cli/main.ts")).toContain("src/cli/serve.ts");
  });

  it("has no import cycle anywhere", () => {
    expect(cycles(graph).map((cycle) => cycle.join(" → "))).toEqual([]);
  });

  it("finds a cycle when there is one", () => {
    const looped = new Map([
      ["a", ["b"]],
      ["b", ["c"]],
      ["c", ["a"]],
    ]);
    expect(cycles(looped)).toEqual([["a", "b", "c", "a"]]);
  });

  it("imports one way: the core takes nothing from the kit, the kit nothing from adapters or the CLI", () => {
    const wrong = sources.flatMap((file) =>
      (graph.get(file) ?? [])
        .filter((target) => !allowed[layer(file)].includes(layer(target)))
        .map((target) => `${file} imports ${target}`),
    );
    expect(wrong).toEqual([]);
  });

  it("lets only adapters, middleware and the CLI use the kit (and the tests that check it)", () => {
    const users = [...sources, ...tools].filter((file) =>
      (graph.get(file) ?? []).some((target) => layer(target) === "kit"),
    );
    expect(users.filter((file) => !["kit", "middleware", "adapter", "cli"].includes(layer(file)))).toEqual([]);
  });

  it("keeps source files under 300 lines and test files under 600", () => {
    const lines = (file: string) => readFileSync(join(root, file), "utf8").split("\n").length;
    const long = [
      ...[...sources, ...tools].filter((file) => lines(file) > 300).map((file) => `${file}: ${lines(file)} lines`),
      ...tests.filter((file) => lines(file) > 600).map((file) => `${file}: ${lines(file)} lines`),
    ];
    expect(long.map((entry) => relative(".", entry))).toEqual([]);
  });
});

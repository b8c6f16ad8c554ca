// workerd with nodejs_compat has Node's builtins, but only as ES modules named `node:…`: CommonJS packages
// written for Node (Express and its dependencies) `require` them, bare (`path`) or not, which an ESM
// bundle cannot do. Bare names become `node:` ones, and each require an import of that module.
import { builtinModules } from "node:module";
import type { Plugin } from "esbuild";

const builtins = new Set(builtinModules.filter((name) => !name.startsWith("_")));
const namespace = "tsgi-required-builtin";

/**
 * An esbuild plugin that leaves every Node builtin outside a browser-platform bundle under its `node:`
 * name, and gives a `require` of one the module's default export.
 *
 * @example
 * await esbuild.build({ ...settings, plugins: [nodeBuiltinsForWorkerd] });
 */
export const nodeBuiltinsForWorkerd: Plugin = {
  name: "node-builtins-for-workerd",
  setup(build) {
    build.onResolve({ filter: /^(node:)?[a-z0-9_/]+$/ }, ({ path, kind }) => {
      const name = path.replace(/^node:/, "");
      if (!builtins.has(name)) return undefined;
      if (kind === "require-call") return { path: name, namespace };
      return { path: `node:${name}`, external: true };
    });
    build.onLoad({ filter: /.*/, namespace }, ({ path }) => ({
      contents: `import builtin from "node:${path}";\nmodule.exports = builtin;\n`,
      loader: "js",
    }));
  },
};

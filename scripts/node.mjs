// Runs a script on the newest Node.js the project has: the one it brings from the npm registry on
// linux-x64, else the machine's own if it is new enough (Vitest and Miniflare need 22.12 or later).
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export function nodeBinary(major = 24) {
  const brought = fileURLToPath(new URL(`../tools/node_modules/node${major}/bin/node`, import.meta.url));
  if (existsSync(brought)) return brought;
  const [maj, min] = process.versions.node.split(".").map(Number);
  if (maj > 22 || (maj === 22 && min >= 12)) return process.execPath;
  console.error(
    `tsgi: Node.js ${process.versions.node} is too old for the tools; run npm install on linux-x64 or use Node 22.12+`,
  );
  process.exit(1);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const child = spawn(nodeBinary(), process.argv.slice(2), { stdio: "inherit" });
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

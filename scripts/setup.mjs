// Installs what the project needs on first use, so `npm start` and `npm test` work on a fresh clone.
// Runs on any Node.js (the machine's may be older than the tools need): no dependencies.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const quiet = ["--no-audit", "--no-fund", "--loglevel=error"];

function install(cwd) {
  execFileSync(npm, ["install", ...quiet], { cwd, stdio: "inherit" });
}

// The Node.js binaries for the tests are optional packages: other platforms skip them and use their own Node.
if (!existsSync(`${root}tools/node_modules/.package-lock.json`)) install(`${root}tools`);
if (!process.argv.includes("--tools") && !existsSync(`${root}node_modules/.package-lock.json`)) install(root);

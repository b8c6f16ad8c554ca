// Installs a Debian package a test or the benchmark needs (chromium for the browser test, wrk for the
// load generator) when its binary is missing and this is root on Debian; anywhere else it says why the
// part that needs it will do without. Never fails the caller. Runs on any Node.js: no dependencies.
//   node scripts/install-debian.mjs <package> <binary path> <what needs it>
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";

const [name, binary, purpose] = process.argv.slice(2);
if (!name || !binary || !purpose) {
  console.error("usage: node scripts/install-debian.mjs <package> <binary path> <what needs it>");
  process.exit(2);
}

function isDebian() {
  try {
    return /^ID(_LIKE)?=.*\bdebian\b/m.test(readFileSync("/etc/os-release", "utf8"));
  } catch {
    return false;
  }
}

function whyNot() {
  if (process.platform !== "linux") return `this is ${process.platform}, not Debian Linux`;
  if (!isDebian()) return `this Linux is not Debian (or derived from it): install ${name} yourself`;
  if (process.getuid?.() !== 0) return `this is not root: run \`sudo apt-get install -y ${name}\``;
  return undefined;
}

if (!existsSync(binary)) {
  const reason = whyNot();
  if (reason) {
    console.warn(`install-debian: ${binary} is missing and ${reason}; ${purpose} will do without it`);
  } else {
    console.log(`install-debian: installing Debian's ${name} package for ${purpose}`);
    try {
      // The package lists of a fresh machine may be empty or old: update them first.
      execFileSync("apt-get", ["update"], { stdio: "inherit" });
      execFileSync("apt-get", ["install", "-y", "--no-install-recommends", name], {
        stdio: "inherit",
        env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
      });
    } catch (error) {
      console.warn(`install-debian: apt-get failed (${error.message}); ${purpose} will do without ${name}`);
    }
  }
}

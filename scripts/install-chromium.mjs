// Installs Debian's `chromium` for the browser test (test/chat-browser.test.ts) when it is missing and
// this is root on Debian; anywhere else it says why that test will be skipped. Never fails the caller.
// Runs on any Node.js: no dependencies.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";

const chromium = "/usr/bin/chromium";

function isDebian() {
  try {
    return /^ID(_LIKE)?=.*\bdebian\b/m.test(readFileSync("/etc/os-release", "utf8"));
  } catch {
    return false;
  }
}

function why() {
  if (process.platform !== "linux") return `this is ${process.platform}, not Debian Linux`;
  if (!isDebian()) return "this Linux is not Debian (or derived from it): install Chromium at /usr/bin/chromium yourself";
  if (process.getuid?.() !== 0) return "this is not root: run `sudo apt-get install -y chromium`";
  return undefined;
}

if (!existsSync(chromium)) {
  const reason = why();
  if (reason) {
    console.warn(`install-chromium: ${chromium} is missing and ${reason}; the browser test will be skipped`);
  } else {
    console.log("install-chromium: installing Debian's chromium package for the browser test (a few minutes)");
    try {
      execFileSync("apt-get", ["update"], { stdio: "inherit" });
      execFileSync("apt-get", ["install", "-y", "--no-install-recommends", "chromium"], { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
    } catch (error) {
      console.warn(`install-chromium: apt-get failed (${error.message}); the browser test will be skipped`);
    }
  }
}

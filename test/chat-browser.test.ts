// The chat example end to end in a real browser: headless Chromium (Debian's package, driven by
// playwright-core) opens the page twice against the chat server on node, deno and bun, and the two
// pages exchange messages through the server's WebSockets.
import { existsSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer, type RuntimeName } from "./runtimes.ts";

const executablePath = "/usr/bin/chromium";
const haveChromium = existsSync(executablePath);
const args = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

describe.skipIf(!haveChromium)(
  `chat example in headless Chromium${haveChromium ? "" : ` (skipped: no ${executablePath}; run node scripts/install-debian.mjs chromium /usr/bin/chromium browser-test as root on Debian)`}`,
  () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await chromium.launch({ executablePath, args, timeout: 30_000 });
    }, 40_000);
    afterAll(() => browser?.close());

    async function join(base: string, name: string): Promise<Page> {
      const page = await browser.newPage();
      await page.goto(`${base}?name=${name}`);
      await page.locator("#status").filter({ hasText: "connected" }).waitFor({ timeout: 10_000 });
      return page;
    }

    async function say(page: Page, text: string): Promise<void> {
      await page.fill("#text", text);
      await page.press("#text", "Enter");
    }

    const log = (page: Page) => page.locator("#log li");

    for (const runtime of ["node24", "deno", "bun"] satisfies RuntimeName[]) {
      it(`two pages chat through the server on ${runtime}`, async () => {
        const server: RunningServer = await startServer(runtime, { app: "chat", adapter: "serve" });
        try {
          const alice = await join(server.url, "alice");
          const bob = await join(server.url, "bob");
          const onRuntime = runtime === "node24" ? "node" : runtime;
          await expect
            .poll(() => log(bob).first().textContent(), { timeout: 5_000 })
            .toMatch(new RegExp(`welcome, bob: 2 here on ${onRuntime}`));
          await expect.poll(() => log(alice).allTextContents(), { timeout: 5_000 }).toContain("bob joined");

          await say(alice, `hello from alice on ${runtime} ✓`);
          await say(bob, "hi alice");
          for (const page of [alice, bob]) {
            await expect
              .poll(() => log(page).allTextContents(), { timeout: 5_000 })
              .toEqual(expect.arrayContaining([`alice: hello from alice on ${runtime} ✓`, "bob: hi alice"]));
          }
          // Order is the server's: both pages see alice's line before bob's.
          const seenByBob = await log(bob).allTextContents();
          expect(seenByBob.indexOf(`alice: hello from alice on ${runtime} ✓`)).toBeLessThan(
            seenByBob.indexOf("bob: hi alice"),
          );

          await bob.close();
          await expect.poll(() => log(alice).allTextContents(), { timeout: 5_000 }).toContain("bob left");
          await alice.close();
          expect(server.stderr()).not.toMatch(/reported:/);
        } finally {
          await server.stop();
        }
      }, 60_000);
    }
  },
);

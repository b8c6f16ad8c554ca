// SPEC.md against its checks: every **must** carries a rule id of its own section, and every rule id is
// checked, by a lint() rule (each fed a violation in test/lint.test.ts) or by a named test; what is not yet
// checked is listed below with its reason, and the list may only shrink.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { lintRules, type LintRuleId } from "../src/lint.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const read = (path: string) => readFileSync(`${root}${path}`, "utf8");

/** Rules whose check is a test that predates rule ids in titles: rule id → [file, words of the test's title]. */
const namedTests: Record<string, [string, string]> = {
  "§3.1-a": ["test/core.test.ts", "accepts handlers and objects with fetch, and refuses anything else clearly"],
  "§3.3-d": ["test/reliability/suite.ts", "does not let X-Forwarded-For spoof ctx.remoteAddress unless trusted"],
  "§3.3-g": ["test/conformance/suite.ts", "runs waitUntil work after the response, and reports its failures"],
  // Every conformance server is started with port 0 and every case reaches it at server.url.
  "§4.1-a": ["test/conformance/suite.ts", "answers text with its length"],
  "§4.1-b": ["test/core.test.ts", "checks options and fills defaults"],
  "§4.2-a": ["test/conformance/suite.ts", "keeps percent-encoded and non-ASCII paths and queries intact"],
  "§4.2-b": ["test/conformance/suite.ts", "passes request headers through, repeated ones joined"],
  "§4.2-c": ["test/node-large-bodies.test.ts", "streams a 1 GiB upload to an application that counts it"],
  "§4.2-d": ["test/conformance/suite.ts", "keeps a keep-alive connection going when the application ignores the body"],
  "§4.2-e": ["test/conformance/suite.ts", "aborts request.signal when the client leaves before the response"],
  "§4.2-f": ["test/conformance/suite.ts", "never aborts request.signal after a normal finish"],
  "§4.2-g": ["test/conformance/suite.ts", "round-trips a binary request body exactly"],
  "§4.3-a": ["test/conformance/suite.ts", "keeps status codes and reason phrases"],
  "§4.3-b": ["test/conformance/suite.ts", "writes each Set-Cookie on its own line on the wire"],
  "§4.3-c": ["test/reliability/suite.ts", "refuses a response header with CR or LF: no response splitting"],
  "§4.3-d": ["test/conformance/suite.ts", "keeps several Set-Cookie apart and other headers intact"],
  "§4.4-a": ["test/conformance/suite.ts", "sends every byte value in a binary response"],
  "§4.4-b": ["test/conformance/suite.ts", "does not make the server hold a whole response for a slow client"],
  "§4.4-c": ["test/conformance/suite.ts", "puts no body bytes on the wire after HEAD, 204 or 304"],
  "§4.4-d": ["test/conformance/suite.ts", "stops a streaming response when the client leaves"],
  "§4.4-e": ["test/conformance/suite.ts", "cuts the connection when the response body fails midway"],
  "§4.5-a": [
    "test/conformance/suite.ts",
    "answers 500 without internals when the application throws, and reports the error",
  ],
  "§4.5-b": [
    "test/conformance/suite.ts",
    "answers 500 without internals when the application throws, and reports the error",
  ],
  "§4.5-c": [
    "test/conformance/suite.ts",
    "answers 500 without internals when the application throws, and reports the error",
  ],
  "§4.5-e": ["test/conformance/suite.ts", "answers 413 to a body over the limit declared by Content-Length"],
  "§4.5-f": ["test/reliability/suite.ts", "and serves the next connection"],
  "§4.6-a": ["test/conformance/suite.ts", "closes gracefully: requests in flight and waitUntil work finish first"],
  "§4.6-b": ["test/conformance/suite.ts", "closes gracefully: requests in flight and waitUntil work finish first"],
  "§4.6-c": [
    "test/reliability/suite.ts",
    "shuts down under load: accepted requests finish, new ones are refused, exit 0",
  ],
  "§4.7-a": ["test/core.test.ts", "records waitUntil work, passThroughOnException and errors"],
  "§4.7-b": ["test/core.test.ts", "records waitUntil work, passThroughOnException and errors"],
  "§4.5-d": ["test/conformance/suite.ts", "reports nothing when a client leaves, before or during the response"],
  "§4.6-d": ["test/node-listener.test.ts", "cuts what is left once close() passes gracefulTimeout"],
  "§5-a": [
    "test/aws-lambda-websocket.test.ts",
    "has no ctx.upgradeWebSocket on aws-lambda, so an application can test for it",
  ],
  "§5-d": [
    "test/conformance/websocket-suite.ts",
    "gives the server a browser-like socket with Blob messages by default",
  ],
  "§5-e": [
    "test/conformance/websocket-suite.ts",
    "gives a clear error to ctx.upgradeWebSocket on a request that is not an upgrade",
  ],
  "§6-a": ["test/core.test.ts", "composes middleware in reading order"],
};

/** Rules with no check yet, each with why. Remove an entry once a test title carries its id. */
const knownGaps: Record<string, string> = {};

interface SpecRule {
  id: string;
  section: string;
  keyword: "must" | "should";
}

/**
 * The rule ids of SPEC.md, in order, each with the keyword it belongs to: a **must** claims the first id after
 * it in its paragraph or list item; an id that no **must** claims belongs to a **should**. Problems are
 * collected: a **must** without an id, an id outside its section, an id given twice.
 */
function parseSpec(text: string): { rules: SpecRule[]; problems: string[] } {
  const rules: SpecRule[] = [];
  const problems: string[] = [];
  let section = "";
  let block: string[] = [];
  const flush = (): void => {
    // Inline code is an example, never a rule: `[§4.3-b]` in backticks does not count.
    const text = block.join(" ").replace(/`[^`]*`/g, "`…`");
    let must: string | undefined;
    let should = false;
    for (const { 0: token, index } of text.matchAll(/\*\*(?:must|should)(?: not)?\*\*|\[§\d+(?:\.\d+)?-[a-z]\]/g)) {
      if (token.startsWith("**must")) {
        if (must !== undefined) problems.push(`§${section}: a **must** without its own rule id: "${must}"`);
        must = text.slice(Math.max(0, index - 60), index + 20);
      } else if (token.startsWith("**should")) should = true;
      else {
        const id = token.slice(1, -1);
        if (id.slice(1, id.lastIndexOf("-")) !== section) problems.push(`${id} stands in section §${section}`);
        if (rules.some((rule) => rule.id === id)) problems.push(`${id} is given twice`);
        if (must === undefined && !should) problems.push(`${id} follows neither a **must** nor a **should**`);
        rules.push({ id, section, keyword: must === undefined ? "should" : "must" });
        must = undefined;
        should = false;
      }
    }
    if (must !== undefined) problems.push(`§${section}: a **must** without its own rule id: "${must}"`);
    block = [];
  };
  let fenced = false;
  for (const line of text.split("\n")) {
    if (line.startsWith("```")) fenced = !fenced;
    if (fenced) continue;
    const heading = /^#{2,3} (\d+(?:\.\d+)?)\.? /.exec(line);
    if (heading || line.trim() === "" || /^\s*(?:[-*]|\d+\.) /.test(line)) flush();
    if (heading) section = heading[1];
    else block.push(line);
  }
  flush();
  return { rules, problems };
}

/** Every test source under test/, but this file. */
function testSources(dir = "test"): string[] {
  return readdirSync(`${root}${dir}`).flatMap((name) => {
    const path = `${dir}/${name}`;
    if (statSync(`${root}${path}`).isDirectory()) return testSources(path);
    return path.endsWith(".ts") && path !== "test/spec.test.ts" ? [path] : [];
  });
}

// A test's title is the first string of an it(), test() or label() call (label names a conformance case).
const titleCall = /\b(?:it|test|label)(?:\.\w+)*\(\s*(?:"[\w-]+",\s*)?["'`]([^"'`]*)/g;
const titles = (source: string): string[] => [...source.matchAll(titleCall)].map((match) => match[1]);

describe("SPEC.md and its checks", () => {
  const spec = parseSpec(read("SPEC.md"));
  const byId = new Map(spec.rules.map((rule) => [rule.id, rule]));
  const lintIds = Object.keys(lintRules) as LintRuleId[];

  it("gives every **must** a rule id of its own, in its own section", () => {
    expect(spec.problems).toEqual([]);
    expect(spec.rules.filter((rule) => rule.keyword === "must").length).toBeGreaterThan(40);
  });

  it("states every rule lint() checks, with the keyword of its severity", () => {
    const mismatched = lintIds.filter(
      (id) => byId.get(id)?.keyword !== (lintRules[id].severity === "violation" ? "must" : "should"),
    );
    expect(mismatched).toEqual([]);
  });

  it("lists every lint() rule in the checklist of src/lint.ts", () => {
    const checklist = read("src/lint.ts").split("*/")[0];
    expect(lintIds.filter((id) => !checklist.includes(`[${id}]`))).toEqual([]);
  });

  it("checks every **must**: by a lint() rule, or a test whose title carries its id or is named here", () => {
    const sources = new Map(testSources().map((path) => [path, titles(read(path))]));
    const titled = new Set([...sources.values()].flat().flatMap((title) => title.match(/§\d+(?:\.\d+)?-[a-z]/g) ?? []));
    const missingTests = Object.entries(namedTests).filter(
      ([, [file, words]]) => !(sources.get(file) ?? []).some((title) => title.includes(words)),
    );
    expect(missingTests.map(([id, [file, words]]) => `${id}: no test "${words}" in ${file}`)).toEqual([]);
    const checked = (id: string) => id in lintRules || titled.has(id) || id in namedTests;
    const unchecked = spec.rules.filter(
      (rule) => rule.keyword === "must" && !checked(rule.id) && !(rule.id in knownGaps),
    );
    expect(unchecked.map((rule) => rule.id)).toEqual([]);
    // A gap that is now checked, or no longer in SPEC.md, leaves the list.
    expect(Object.keys(knownGaps).filter((id) => checked(id) || !byId.has(id))).toEqual([]);
  });
});

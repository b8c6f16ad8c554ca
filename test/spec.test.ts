// SPEC.md against its checks: every **must** carries a rule id of its own section, and every rule id is
// checked, by a lint() rule (each fed a violation in test/lint.test.ts) or by a test whose title carries the
// id; what is not yet checked is listed below with its reason, and the list may only shrink. The rules lint()
// checks are written once, in src/lint-rules.ts: SPEC.md's lines for them are generated between
// `<!-- lint-rules §N:start -->` and `<!-- lint-rules §N:end -->`, and TSGI_UPDATE_SPEC=1 rewrites them.
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { lintRules, sectionOf, type LintRuleId } from "../src/lint-rules.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const read = (path: string) => readFileSync(`${root}${path}`, "utf8");

/** Rules with no check yet, each with why. Remove an entry once a test title carries its id. */
const knownGaps: Record<string, string> = {};

const lintIds = Object.keys(lintRules) as LintRuleId[];

// RFC 2119 keywords outside inline code, where a rule's sentence names what it is.
const keyword = /`[^`]*`|\b(?:must|should|may)(?: not)?\b/g;
const keywordsOf = (sentence: string): string[] =>
  [...sentence.matchAll(keyword)].map((match) => match[0]).filter((word) => !word.startsWith("`"));

/** A rule as SPEC.md lists it: its sentence with the keyword in bold, then its id, wrapped as the rest is. */
function ruleLines(id: LintRuleId): string[] {
  const bolded = lintRules[id].summary.replace(keyword, (word) => (word.startsWith("`") ? word : `**${word}**`));
  // Break at spaces outside inline code, so that no code span is split across lines.
  const words = `${bolded} [${id}]`.match(/(?:`[^`]*`|[^\s`])+/g) ?? [];
  const lines: string[] = [];
  let line = "-";
  for (const word of words) {
    if (line.length + 1 + word.length > 115 && line.trim() !== "-") {
      lines.push(line);
      line = " ";
    }
    line += ` ${word}`;
  }
  return [...lines, line];
}

const block = /<!-- lint-rules (§[\d.]+):start -->\n(?:.*\n)*?<!-- lint-rules \1:end -->/g;
const generated = (section: string): string =>
  [
    `<!-- lint-rules ${section}:start -->`,
    ...lintIds.filter((id) => sectionOf(id) === section).flatMap(ruleLines),
    `<!-- lint-rules ${section}:end -->`,
  ].join("\n");

/** SPEC.md with each block of lint rules as src/lint-rules.ts makes it. */
const regenerated = (text: string): string => text.replace(block, (_, section: string) => generated(section));

// Rewritten before it is read, so that every test below checks what was written.
if (process.env.TSGI_UPDATE_SPEC) writeFileSync(`${root}SPEC.md`, regenerated(read("SPEC.md")));
const specText = read("SPEC.md");

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
  const spec = parseSpec(specText);
  const byId = new Map(spec.rules.map((rule) => [rule.id, rule]));

  it("gives every **must** a rule id of its own, in its own section", () => {
    expect(spec.problems).toEqual([]);
    expect(spec.rules.filter((rule) => rule.keyword === "must").length).toBeGreaterThan(40);
  });

  it("words every lint() rule as one sentence with one keyword, the one of its severity", () => {
    const wrong = lintIds.filter((id) => {
      const words = keywordsOf(lintRules[id].summary);
      const expected = lintRules[id].severity === "violation" ? /^must/ : /^should/;
      const oneSentence = /^[A-Z`].*\.$/.test(lintRules[id].summary) && !/\.\s+[A-Z]/.test(lintRules[id].summary);
      return words.length !== 1 || !expected.test(words[0]) || !oneSentence;
    });
    expect(wrong).toEqual([]);
  });

  it("writes the lines of the rules lint() checks from src/lint-rules.ts (TSGI_UPDATE_SPEC=1 rewrites them)", () => {
    const sections = [...specText.matchAll(block)].map((match) => match[1]);
    expect(sections, "one block per section").toEqual([...new Set(sections)]);
    expect(sections.sort()).toEqual([...new Set(lintIds.map(sectionOf))].sort());
    expect(specText).toBe(regenerated(specText));
  });

  it("states every rule lint() checks, with the keyword of its severity", () => {
    const mismatched = lintIds.filter(
      (id) => byId.get(id)?.keyword !== (lintRules[id].severity === "violation" ? "must" : "should"),
    );
    expect(mismatched).toEqual([]);
  });

  it("checks every **must**: by a lint() rule, or a test whose title carries its id", () => {
    const titled = new Set(
      testSources()
        .flatMap((path) => titles(read(path)))
        .flatMap((title) => title.match(/§\d+(?:\.\d+)?-[a-z]/g) ?? []),
    );
    const checked = (id: string) => id in lintRules || titled.has(id);
    const unchecked = spec.rules.filter(
      (rule) => rule.keyword === "must" && !checked(rule.id) && !(rule.id in knownGaps),
    );
    expect(unchecked.map((rule) => rule.id)).toEqual([]);
    // A test title names only rules SPEC.md has, so a renamed or dropped rule cannot leave a stale claim.
    expect([...titled].filter((id) => !byId.has(id))).toEqual([]);
    // A gap that is now checked, or no longer in SPEC.md, leaves the list.
    expect(Object.keys(knownGaps).filter((id) => checked(id) || !byId.has(id))).toEqual([]);
  });
});

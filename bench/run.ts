// The benchmark: serves the scenarios of scenarios.ts through each runtime's raw server, tsgi and the
// peers, and loads them on loopback with wrk (Debian's package) where it is installed, else autocannon
// (npm). The servers run on core 0, the load generator on core 1; targets take turns within each scenario, round after round, so drift on a
// shared machine hits them all alike. Every figure is printed as a ratio to the raw server of the
// same run. Usage: node scripts/node.mjs bench/run.ts [--quick] [--runtime node,bun,deno]
// [--scenario hello,...] [--target tsgi,...] [--duration 2] [--rounds 3] [--connections 16]
// [--loadgen wrk|autocannon] [--add node:name=path.ts] [--no-extra]
import { execFile, execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createRequire } from "node:module";
import { runtimeCommand, type RuntimeName } from "../test/runtimes.ts";
import { scenarios, type Scenario } from "./scenarios.ts";

const root = new URL("..", import.meta.url).pathname;

interface Target {
  runtime: "node" | "bun" | "deno";
  name: string;
  label: string;
  script: string;
  /** A server script outside bench/servers (from --add). */
  path?: string;
  /** In quick mode only these run. */
  quick?: boolean;
}

const targets: Target[] = [
  { runtime: "node", name: "raw", label: "raw node:http", script: "node-raw", quick: true },
  { runtime: "node", name: "tsgi", label: "tsgi (adapters/node.ts)", script: "node-tsgi", quick: true },
  {
    runtime: "node",
    name: "tsgi-wrapped",
    label: "tsgi, bodies rewrapped, ending at once (one write)",
    script: "node-tsgi-wrapped",
  },
  {
    runtime: "node",
    name: "tsgi-streamed",
    label: "tsgi, bodies rewrapped, ending a turn later (chunked)",
    script: "node-tsgi-streamed",
  },
  { runtime: "node", name: "floor", label: "(floor: Node's fetch objects, no adapter)", script: "node-fetch-floor" },
  { runtime: "node", name: "hono", label: "@hono/node-server (globals replaced)", script: "node-hono", quick: true },
  { runtime: "node", name: "srvx-fast", label: "srvx + FastResponse", script: "node-srvx-fast", quick: true },
  { runtime: "node", name: "srvx", label: "srvx + global Response", script: "node-srvx" },
  { runtime: "node", name: "whatwg", label: "@whatwg-node/server", script: "node-whatwg" },
  { runtime: "node", name: "remix", label: "@remix-run/node-fetch-server", script: "node-remix" },
  { runtime: "bun", name: "raw", label: "raw Bun.serve", script: "bun-raw", quick: true },
  { runtime: "bun", name: "tsgi", label: "tsgi (adapters/bun.ts)", script: "bun-tsgi", quick: true },
  { runtime: "bun", name: "srvx", label: "srvx on Bun", script: "bun-srvx" },
  { runtime: "deno", name: "raw", label: "raw Deno.serve", script: "deno-raw", quick: true },
  { runtime: "deno", name: "tsgi", label: "tsgi (adapters/deno.ts)", script: "deno-tsgi", quick: true },
  { runtime: "deno", name: "srvx", label: "srvx on Deno", script: "deno-srvx" },
];

const { values: args } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    runtime: { type: "string", default: "node,bun,deno" },
    scenario: { type: "string" },
    target: { type: "string" },
    duration: { type: "string" },
    rounds: { type: "string" },
    connections: { type: "string", default: "16" },
    loadgen: { type: "string" },
    // Extra targets for A/B work, e.g. --add node:tsgi-b=/tmp/b/bench/servers/node-tsgi.ts
    add: { type: "string", multiple: true, default: [] },
    "no-extra": { type: "boolean", default: false },
  },
});
const quick = args.quick;
// wrk takes whole seconds.
const duration = Math.max(1, Math.round(Number(args.duration ?? (quick ? 1 : 2))));
const rounds = Number(args.rounds ?? (quick ? 1 : 3));
const warmup = 1;
const connections = Number(args.connections);
const runtimes = args.runtime.split(",");
const chosenScenarios = args.scenario ? scenarios.filter((s) => args.scenario!.split(",").includes(s.name)) : scenarios;
const chosenNames = args.target?.split(",");

/** One measurement: requests per second and what went wrong, if anything. */
interface Sample {
  rps: number;
  /** CPU time (user + system) the server spent per request, µs: steadier than req/s on a busy machine. */
  cpuUs: number;
  rssKiB: number;
  failures: number;
}

interface Running {
  target: Target;
  url: string;
  child: ChildProcess;
}

function command(runtime: Target["runtime"]): string[] {
  return runtimeCommand((runtime === "node" ? "node24" : runtime) as RuntimeName);
}

const onPath = (bin: string): boolean => spawnSync("sh", ["-c", `command -v ${bin}`]).status === 0;
const pinned = onPath("taskset") && os.availableParallelism() >= 2;
// wrk (Debian's package) costs the load generator far less CPU than autocannon, so the server is what
// saturates; autocannon (an npm dependency) is the fallback.
const loadgen = args.loadgen ?? (onPath("wrk") ? "wrk" : "autocannon");

const scriptPath = (t: Target): string => t.path ?? `${root}bench/servers/${t.script}.ts`;
for (const spec of args.add) {
  const [, runtime, name, path] = /^(node|bun|deno):([\w-]+)=(.+)$/.exec(spec) ?? [];
  if (!path) throw new Error(`--add wants runtime:name=path, got ${spec}`);
  targets.push({ runtime: runtime as Target["runtime"], name, label: name, script: name, path, quick: true });
}

// Servers still running, stopped if this process is interrupted.
const live = new Set<ChildProcess>();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    for (const child of live) child.kill("SIGKILL");
    process.exit(130);
  });
}

function start(target: Target): Promise<Running> {
  const [bin, ...rest] = command(target.runtime);
  const argv = [...rest, scriptPath(target)];
  // taskset execs the runtime, so the child's pid is the server's own (for /proc/PID/status).
  const child = pinned ? spawn("taskset", ["-c", "0", bin, ...argv], { cwd: root }) : spawn(bin, argv, { cwd: root });
  live.add(child);
  child.once("exit", () => live.delete(child));
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    if (stderr.length < 8192) stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    let stdout = "";
    const timer = setTimeout(() => fail("no URL within 20 s"), 20_000);
    const fail = (why: string): void => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`${target.runtime} ${target.name}: ${why}\n${stderr.slice(0, 2000)}`));
    };
    const exited = (code: number | null): void => fail(`exited with ${code}`);
    child.once("exit", exited);
    child.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk;
      const line = stdout.split("\n").find((l) => l.startsWith("{"));
      if (!line) return;
      clearTimeout(timer);
      child.off("exit", exited);
      child.stdout!.removeAllListeners("data");
      child.stdout!.resume();
      resolve({ target, url: (JSON.parse(line) as { url: string }).url, child });
    });
  });
}

function stop(running: Running): Promise<void> {
  return new Promise((resolve) => {
    if (running.child.exitCode !== null || running.child.signalCode !== null) return resolve();
    const timer = setTimeout(() => running.child.kill("SIGKILL"), 2000);
    running.child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    running.child.kill("SIGTERM");
  });
}

/** Peak resident set of a process, in KiB; writing 5 to clear_refs restarts the peak. */
function peakRss(pid: number, reset = false): number {
  try {
    if (reset) writeFileSync(`/proc/${pid}/clear_refs`, "5");
    return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** utime + stime of a process, in clock ticks (100 per second on Linux). */
function cpuTicks(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/** The part of autocannon's programmatic API used here (it ships no types). */
interface AutocannonResult {
  requests: { total: number };
  duration: number;
  errors: number;
  non2xx: number;
  timeouts: number;
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;

const bodies = new Map<Scenario, Buffer | undefined>();
function bodyOf(scenario: Scenario): Buffer | undefined {
  if (!bodies.has(scenario)) bodies.set(scenario, scenario.body ? Buffer.from(scenario.body()) : undefined);
  return bodies.get(scenario);
}

function luaScript(scenario: Scenario): string {
  const file = join(os.tmpdir(), `tsgi-bench-${process.pid}-${scenario.name}.lua`);
  if (existsSync(file)) return file;
  const body = bodyOf(scenario);
  const lines = [`wrk.method = "${scenario.method}"`];
  for (const [name, value] of Object.entries(scenario.headers ?? {})) lines.push(`wrk.headers["${name}"] = "${value}"`);
  // The body as a Lua long string; the bench bodies are printable ASCII.
  if (body) lines.push(`wrk.body = [==[${body.toString("latin1")}]==]`);
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

function wrk(
  url: string,
  scenario: Scenario,
  seconds: number,
): Promise<{ rps: number; requests: number; failures: number }> {
  const argv = ["-t1", `-c${connections}`, `-d${seconds}s`, "--timeout", "10s", "-s", luaScript(scenario), url];
  const full = pinned ? ["taskset", "-c", "1", "wrk", ...argv] : ["wrk", ...argv];
  return new Promise((resolve) => {
    execFile(full[0], full.slice(1), { encoding: "utf8" }, (error, stdout, stderr) => {
      if (error) {
        console.error(`\nwrk failed: ${stderr.trim() || error.message}`);
        return resolve({ rps: 0, requests: 0, failures: 1 });
      }
      const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? 0);
      const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(stdout)?.[1] ?? 0);
      const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout);
      const errors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
      const requests = Number(/(\d+) requests in/.exec(stdout)?.[1] ?? 0);
      resolve({ rps, requests, failures: non2xx + errors });
    });
  });
}

async function load(running: Running, scenario: Scenario, seconds: number): Promise<Sample> {
  const pid = running.child.pid!;
  peakRss(pid, true);
  const ticks = cpuTicks(pid);
  const cpuUs = (requests: number): number => ((cpuTicks(pid) - ticks) * 10_000) / Math.max(1, requests);
  const url = new URL(scenario.path, running.url).href;
  if (loadgen === "wrk") {
    const { rps, requests, failures } = await wrk(url, scenario, seconds);
    return { rps, failures, cpuUs: cpuUs(requests), rssKiB: peakRss(pid) };
  }
  const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;
  const result = await autocannon({
    url,
    method: scenario.method,
    headers: scenario.headers,
    body: bodyOf(scenario),
    connections,
    duration: seconds,
  });
  return {
    rps: result.requests.total / result.duration,
    cpuUs: cpuUs(result.requests.total),
    rssKiB: peakRss(pid),
    failures: result.errors + result.non2xx + result.timeouts,
  };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** samples[target][scenario] */
type Results = Map<string, Map<string, Sample[]>>;

async function benchRuntime(runtime: Target["runtime"], results: Results): Promise<Target[]> {
  const group = targets.filter(
    (t) =>
      t.runtime === runtime &&
      (!quick || t.quick) &&
      (t.name === "raw" || !chosenNames || chosenNames.includes(t.name)) &&
      existsSync(scriptPath(t)),
  );
  const running: Running[] = [];
  try {
    for (const target of group) {
      try {
        running.push(await start(target));
      } catch (error) {
        console.error(`skipped: ${(error as Error).message.split("\n")[0]}`);
      }
    }
    if (!running.some((r) => r.target.name === "raw")) return [];
    for (const scenario of chosenScenarios) {
      process.stderr.write(`${runtime} ${scenario.name}: `);
      for (const r of running) await load(r, scenario, warmup);
      for (let round = 0; round < rounds; round++) {
        // Each round starts one target later, so no target always runs first or last.
        for (let i = 0; i < running.length; i++) {
          const r = running[(i + round) % running.length];
          const sample = await load(r, scenario, duration);
          const key = `${runtime}/${r.target.name}`;
          if (!results.has(key)) results.set(key, new Map());
          const byScenario = results.get(key)!;
          byScenario.set(scenario.name, [...(byScenario.get(scenario.name) ?? []), sample]);
          process.stderr.write(".");
        }
      }
      process.stderr.write("\n");
    }
  } finally {
    await Promise.all(running.map(stop));
  }
  return running.map((r) => r.target);
}

const kilo = (n: number): string =>
  n >= 10_000 ? `${(n / 1000).toFixed(1)}k` : n >= 1000 ? `${(n / 1000).toFixed(2)}k` : n.toFixed(0);

function table(runtime: string, group: Target[], results: Results, metric: "rps" | "cpuUs"): string {
  const title = metric === "rps" ? `${runtime}: req/s` : `${runtime}: server CPU per request`;
  const head = `| ${title} | ${chosenScenarios.map((s) => s.label).join(" | ")} |\n|---|${chosenScenarios.map(() => "---").join("|")}|`;
  const raw = results.get(`${runtime}/raw`)!;
  const rows = group.map((t) => {
    const mine = results.get(`${runtime}/${t.name}`);
    const cells = chosenScenarios.map((s) => {
      const samples = mine?.get(s.name) ?? [];
      const base = median((raw.get(s.name) ?? []).map((x) => x[metric]));
      if (samples.length === 0 || !base) return "–";
      const xs = samples.map((x) => x[metric]);
      const m = median(xs);
      const spread = rounds > 1 ? ` ±${(((Math.max(...xs) - Math.min(...xs)) / 2 / m) * 100).toFixed(0)}%` : "";
      const failed = samples.some((x) => x.failures > 0) ? " (errors!)" : "";
      const absolute = metric === "rps" ? `${kilo(m)} req/s` : `${m.toFixed(1)} µs`;
      return `${t.name === "raw" ? absolute : (m / base).toFixed(2)}${spread}${failed}`;
    });
    return `| ${t.label} | ${cells.join(" | ")} |`;
  });
  return `${head}\n${rows.join("\n")}`;
}

/** The issue's targets, checked on this run's medians: tsgi's share of raw, and the peers ahead of it. */
function verdict(runtime: string, group: Target[], results: Results): string {
  const goal = runtime === "node" ? 0.95 : 0.97;
  const of = (name: string, scenario: string, metric: "rps" | "cpuUs"): number =>
    median((results.get(`${runtime}/${name}`)?.get(scenario) ?? []).map((x) => x[metric]));
  const rps = (name: string, scenario: string): number => of(name, scenario, "rps");
  const peers = group.filter((t) => !["raw", "tsgi", "floor"].includes(t.name));
  const lines = chosenScenarios.map((s) => {
    const share = rps("tsgi", s.name) / rps("raw", s.name);
    const ahead = peers.filter((p) => rps(p.name, s.name) > rps("tsgi", s.name)).map((p) => p.name);
    const met = share >= goal && ahead.length === 0 ? "met" : "NOT met";
    const byCpu = of("raw", s.name, "cpuUs") / of("tsgi", s.name, "cpuUs");
    return `${s.name}: tsgi ${(share * 100).toFixed(0)}% of raw req/s (${(byCpu * 100).toFixed(0)}% by CPU per request; goal ${goal * 100}%)${ahead.length ? `, behind ${ahead.join(", ")}` : ""} — ${met}`;
  });
  return `Targets on ${runtime} (this run's medians): ${lines.join("; ")}.`;
}

function rssTable(runtime: string, group: Target[], results: Results): string {
  const head = `| ${runtime}: peak RSS, MiB | ${chosenScenarios.map((s) => s.label).join(" | ")} |\n|---|${chosenScenarios.map(() => "---").join("|")}|`;
  const rows = group.map((t) => {
    const mine = results.get(`${runtime}/${t.name}`);
    const cells = chosenScenarios.map((s) => {
      const samples = mine?.get(s.name) ?? [];
      return samples.length ? (Math.max(...samples.map((x) => x.rssKiB)) / 1024).toFixed(0) : "–";
    });
    return `| ${t.label} | ${cells.join(" | ")} |`;
  });
  return `${head}\n${rows.join("\n")}`;
}

function version(bin: string[], flag = "--version"): string {
  const out = spawnSync(bin[0], [flag], { encoding: "utf8" });
  return (out.stdout || "?").split("\n")[0].trim();
}

function pkg(name: string): string {
  return (JSON.parse(readFileSync(`${root}node_modules/${name}/package.json`, "utf8")) as { version: string }).version;
}

const machine = `${os.cpus()[0]?.model ?? "?"}, ${os.availableParallelism()} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Linux ${os.release()}`;
const versions = `Node ${version(command("node"))}, Bun ${version(command("bun"))}, ${version(command("deno"))}; ${loadgen === "wrk" ? `wrk ${/\d+\.\d+\.\d+/.exec(version(["wrk"], "-v"))?.[0] ?? "?"}` : `autocannon ${pkg("autocannon")}`}, @hono/node-server ${pkg("@hono/node-server")}, srvx ${pkg("srvx")}, @whatwg-node/server ${pkg("@whatwg-node/server")}, @remix-run/node-fetch-server ${pkg("@remix-run/node-fetch-server")}`;
const setup = `${quick ? "quick" : "full"}: ${rounds} round(s) of ${duration} s per target and scenario after a ${warmup} s warm-up, ${connections} connections, server on core 0 and ${loadgen} on core 1${pinned ? "" : " (NOT pinned: no taskset or one core)"}`;
if (pinned) execFileSync("taskset", ["-a", "-p", "-c", "1", String(process.pid)], { stdio: "ignore" });
const started = new Date();
const results: Results = new Map();
const sections: string[] = [];
console.log(`# tsgi bench, ${started.toISOString()}\n${machine}\n${versions}\n${setup}\n`);
for (const runtime of runtimes) {
  const group = await benchRuntime(runtime as Target["runtime"], results);
  if (group.length === 0) continue;
  const parts = [
    table(runtime, group, results, "rps"),
    table(runtime, group, results, "cpuUs"),
    rssTable(runtime, group, results),
  ];
  if (group.some((t) => t.name === "tsgi")) parts.push(verdict(runtime, group, results));
  const section = parts.join("\n\n");
  sections.push(section);
  console.log(`${section}\n`);
}
const legend =
  "Raw rows: the median; other rows: the median as a ratio to the raw row of the same run (req/s: higher is better; CPU per request: lower is better). ± is half the min–max spread over rounds.";
console.log(legend);

// The in-process benches (Lambda invocation cost, bundle sizes and cold start), when present, in the same run.
const extras: [string, string[]][] = [
  ["lambda.ts", quick ? ["--rounds", "3", "--iterations", "1000"] : []],
  ["lambda-size.ts", []],
  ["worker-size.ts", []],
];
if (!args["no-extra"]) {
  for (const [extra, extraArgs] of extras) {
    if (!existsSync(`${root}bench/${extra}`)) continue;
    console.log(`\n## bench/${extra}\n`);
    const out = spawnSync(command("node")[0], [`${root}bench/${extra}`, ...extraArgs], {
      encoding: "utf8",
      cwd: root,
      stdio: ["ignore", "pipe", "inherit"],
    });
    process.stdout.write(out.stdout ?? "");
    sections.push(`## bench/${extra}\n\n${out.stdout ?? ""}`);
  }
}

mkdirSync(`${root}bench/results`, { recursive: true });
const stamp = started.toISOString().replace(/[:.]/g, "-");
const plain = Object.fromEntries([...results].map(([k, v]) => [k, Object.fromEntries(v)]));
writeFileSync(
  `${root}bench/results/${stamp}.json`,
  JSON.stringify({ started, machine, versions, setup, results: plain }, null, 1),
);
writeFileSync(
  `${root}bench/results/${stamp}.md`,
  `${machine}\n${versions}\n${setup}\n\n${sections.join("\n\n")}\n\n${legend}\n`,
);
console.log(`\nSaved as bench/results/${stamp}.md and .json`);

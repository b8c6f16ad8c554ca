// The load generator: one scenario against one running server for some seconds, through wrk (Lua script
// per scenario) or autocannon, pinned to core 1, with the server's CPU time, peak memory and the 99th
// percentile of latency meanwhile.
import { execFile } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import { join } from "node:path";
import { cpuTicks, peakRss, type Running } from "./processes.ts";
import type { Scenario } from "./scenarios.ts";
import { connections, loadgen, pinned } from "./settings.ts";

/** One measurement: requests per second and what went wrong, if anything. */
export interface Sample {
  rps: number;
  /** CPU time (user + system) the server spent per request, µs: steadier than req/s on a busy machine. */
  cpuUs: number;
  rssKiB: number;
  /** The 99th percentile of request latency, ms, as the load generator saw it. */
  p99Ms: number;
  failures: number;
  /** Under --together: the raw server's sample, loaded in the same seconds on the same core. */
  beside?: Sample;
}

/** The part of autocannon's programmatic API used here (it ships no types). */
interface AutocannonResult {
  requests: { total: number };
  duration: number;
  errors: number;
  non2xx: number;
  timeouts: number;
  latency: { p99: number };
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

// wrk prints times with its own unit suffix (src/units.c).
const inMs: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** The 99% line of wrk's --latency distribution, in ms (0 when absent). */
function wrkP99(stdout: string): number {
  const match = /^\s*99(?:\.0+)?%\s+([\d.]+)(us|ms|s|m|h)\s*$/m.exec(stdout);
  return match ? Number(match[1]) * inMs[match[2]] : 0;
}

function wrk(
  url: string,
  scenario: Scenario,
  seconds: number,
): Promise<{ rps: number; requests: number; p99Ms: number; failures: number }> {
  const argv = [
    "-t1",
    `-c${connections}`,
    `-d${seconds}s`,
    "--timeout",
    "10s",
    "--latency",
    "-s",
    luaScript(scenario),
    url,
  ];
  const full = pinned ? ["taskset", "-c", "1", "wrk", ...argv] : ["wrk", ...argv];
  return new Promise((resolve) => {
    execFile(full[0], full.slice(1), { encoding: "utf8" }, (error, stdout, stderr) => {
      if (error) {
        console.error(`\nwrk failed: ${stderr.trim() || error.message}`);
        return resolve({ rps: 0, requests: 0, p99Ms: 0, failures: 1 });
      }
      const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? 0);
      const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(stdout)?.[1] ?? 0);
      const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout);
      const errors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
      const requests = Number(/(\d+) requests in/.exec(stdout)?.[1] ?? 0);
      resolve({ rps, requests, p99Ms: wrkP99(stdout), failures: non2xx + errors });
    });
  });
}

export async function load(running: Running, scenario: Scenario, seconds: number): Promise<Sample> {
  // A process that printed its URL has a pid; /proc has no 0, so the figures would read 0.
  const pid = running.child.pid ?? 0;
  peakRss(pid, true);
  const ticks = cpuTicks(pid);
  const cpuUs = (requests: number): number => ((cpuTicks(pid) - ticks) * 10_000) / Math.max(1, requests);
  const url = new URL(scenario.path, running.url).href;
  if (loadgen === "wrk") {
    const { rps, requests, p99Ms, failures } = await wrk(url, scenario, seconds);
    return { rps, failures, cpuUs: cpuUs(requests), rssKiB: peakRss(pid), p99Ms };
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
    p99Ms: result.latency.p99,
    failures: result.errors + result.non2xx + result.timeouts,
  };
}

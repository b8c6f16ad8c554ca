// What a run was measured on and how, printed at its head and saved with its results.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import {
  command,
  connections,
  cpuProf,
  duration,
  loadgen,
  pinned,
  quick,
  root,
  rounds,
  traceGc,
  warmup,
} from "./settings.ts";

function version(bin: string[], flag = "--version"): string {
  const out = spawnSync(bin[0], [flag], { encoding: "utf8" });
  return (out.stdout || "?").split("\n")[0].trim();
}

function pkg(name: string): string {
  return (JSON.parse(readFileSync(`${root}node_modules/${name}/package.json`, "utf8")) as { version: string }).version;
}

export const machine = `${os.cpus()[0]?.model ?? "?"}, ${os.availableParallelism()} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Linux ${os.release()}`;
export const versions = `Node ${version(command("node"))}, Bun ${version(command("bun"))}, ${version(command("deno"))}; ${loadgen === "wrk" ? `wrk ${/\d+\.\d+\.\d+/.exec(version(["wrk"], "-v"))?.[0] ?? "?"}` : `autocannon ${pkg("autocannon")}`}, @hono/node-server ${pkg("@hono/node-server")}, srvx ${pkg("srvx")}, @whatwg-node/server ${pkg("@whatwg-node/server")}, @remix-run/node-fetch-server ${pkg("@remix-run/node-fetch-server")}`;
export const setup = `${quick ? "quick" : "full"}: ${rounds} round(s) of ${duration} s per target and scenario after a ${warmup} s warm-up, ${connections} connections, server on core 0 and ${loadgen} on core 1${pinned ? "" : " (NOT pinned: no taskset or one core)"}${cpuProf || traceGc ? "; Node servers PROFILED (--cpu-prof/--trace-gc), figures not comparable with unprofiled runs" : ""}`;

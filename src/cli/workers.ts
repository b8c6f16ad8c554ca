import { spawn } from "node:child_process";
import type { Cluster } from "node:cluster";
import process from "node:process";
import { createInterface } from "node:readline";
import { EXIT_FAILURE, EXIT_OK } from "./errors.ts";
import type { ServerRuntime } from "../server/runtime.ts";
import type { ServeSettings } from "./args.ts";
import { selfCommand } from "./children.ts";

/** One server process under the primary. */
interface Worker {
  /** Resolves with the URL once it listens, or with undefined if it exits first. */
  listening: Promise<string | undefined>;
  exited: Promise<number>;
  stop(): void;
}

/** Node: a cluster worker; the primary holds the socket, so every worker listens on the same port. */
function nodeWorker(cluster: Cluster): Worker {
  const worker = cluster.fork({ TSGI_WORKER: "1" });
  const exited = new Promise<number>((resolve) =>
    worker.once("exit", (code, signal) => resolve(signal ? EXIT_FAILURE : code)),
  );
  const listening = new Promise<string | undefined>((resolve) => {
    worker.on(
      "message",
      (message: { tsgi?: string; url?: string }) => message.tsgi === "listening" && resolve(message.url),
    );
    void exited.then(() => resolve(undefined));
  });
  return { listening, exited, stop: () => void worker.process.kill("SIGTERM") };
}

/** Deno and Bun: a child process on the same port with `reusePort`; it names its URL on stdout. */
function spawnedWorker(runtime: ServerRuntime, args: string[], port: number | undefined): Worker {
  // Deno.serve's reusePort is behind --unstable-net.
  const [file, ...rest] = [...selfCommand(runtime, runtime === "deno" ? ["--unstable-net"] : []), "serve", ...args];
  const env = { ...process.env, TSGI_WORKER: "1", ...(port === undefined ? {} : { TSGI_WORKER_PORT: String(port) }) };
  const child = spawn(file, rest, { env, stdio: ["inherit", "pipe", "inherit"] });
  // Deno's node:child_process reports a child that exited 0 on SIGTERM as killed by it: the worker's own
  // "closed" line says that it finished gracefully. "exit" may come before that line is read; "close"
  // comes once the child's stdout has ended, so every line has been seen.
  let closed = false;
  const exited = new Promise<number>((resolve) =>
    child.once("close", (code) => resolve(code ?? (closed ? EXIT_OK : EXIT_FAILURE))),
  );
  const listening = new Promise<string | undefined>((resolve) => {
    createInterface({ input: child.stdout }).on("line", (line) => {
      if (line === "tsgi-worker: closed") closed = true;
      else if (line.startsWith("tsgi-worker: ")) resolve((JSON.parse(line.slice(13)) as { url: string }).url);
      else process.stdout.write(`${line}\n`);
    });
    void exited.then(() => resolve(undefined));
  });
  return { listening, exited, stop: () => void child.kill("SIGTERM") };
}

/**
 * `tsgi serve --workers N`: N server processes on one port. The first starts alone (so a port in use
 * is reported once, and port 0 becomes a real port the others join); SIGINT or SIGTERM stops all of
 * them gracefully, even one that comes while they start, and a worker that dies while serving is replaced.
 *
 * @example
 * process.exitCode = await serveWorkers(settings, ["app.ts", "--workers", "2"], "node");
 */
export async function serveWorkers(settings: ServeSettings, args: string[], runtime: ServerRuntime): Promise<number> {
  const workers = new Set<Worker>();
  let stopping = false;
  let serving = false;
  let port: number | undefined;
  // Imported here, not on Deno and Bun; and before the first signal can come, so that making a worker is one step.
  const cluster = runtime === "node" ? (await import("node:cluster")).default : undefined;
  let stopped!: (code: number) => void;
  const done = new Promise<number>((resolve) => (stopped = resolve));
  const stopAll = (): Promise<number> => {
    if (stopping) return done;
    stopping = true;
    for (const worker of workers) worker.stop();
    void Promise.all([...workers].map((worker) => worker.exited)).then((codes) =>
      stopped(codes.every((code) => code === EXIT_OK) ? EXIT_OK : EXIT_FAILURE),
    );
    return done;
  };
  // Before any worker starts: a signal between the serving line and its handlers ended the primary alone.
  process.on("SIGINT", stopAll);
  process.on("SIGTERM", stopAll);
  const start = (): Promise<string | undefined> => {
    // stopAll waits for the workers it found: none may start after it.
    if (stopping) return Promise.resolve(undefined);
    const worker = cluster ? nodeWorker(cluster) : spawnedWorker(runtime, args, port);
    workers.add(worker);
    void worker.exited.then((code) => {
      workers.delete(worker);
      if (stopping || !serving) return;
      process.stderr.write(`tsgi: a worker exited with code ${code}; starting another\n`);
      void start();
    });
    return worker.listening;
  };
  const first = await start();
  if (stopping) return done;
  if (first === undefined) return EXIT_FAILURE;
  port = Number(new URL(first).port);
  const urls = await Promise.all(Array.from({ length: settings.workers - 1 }, start));
  if (stopping) return done;
  if (urls.includes(undefined)) {
    await stopAll();
    return EXIT_FAILURE;
  }
  serving = true;
  process.stdout.write(`tsgi: serving ${settings.entry} on ${first} (${runtime}, ${settings.workers} workers)\n`);
  return done;
}

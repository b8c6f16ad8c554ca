// The command line of a test server, `<app> [--option=value…]` after the adapter: written by test/runtimes.ts,
// read by server.ts and worker.ts, and short enough to type by hand when a test server misbehaves.
import type { App, ServeOptions } from "../../src/types.ts";
import { apps, reportToStderr, type AppName } from "./apps.ts";

function number(value: string): number {
  const parsed = Number(value);
  if (Number.isNaN(parsed)) throw new Error(`test server: ${value} is not a number`);
  return parsed;
}

// The adapter options a test may set, each with how its value is read back: adding an option is one line.
const readers = {
  maxBodySize: number,
  headersTimeout: number,
  idleTimeout: number,
  trustProxy: (value: string): boolean => value === "true",
  fastGlobals: (value: string): boolean => value === "true",
} satisfies Record<string, (value: string) => number | boolean>;

/** Options on top of the app's own: `Infinity` and the adapters' own timeouts included, so not JSON. */
export type ServerOptions = { [K in keyof typeof readers]?: ReturnType<(typeof readers)[K]> };

/** Whether `key` names an entry of `table`, so it can index it. */
export function isKey<T extends object>(table: T, key: string): key is Extract<keyof T, string> {
  return Object.hasOwn(table, key);
}

/** The command line that serves `app` with `options`. */
export function serverArgs(app: AppName, options: ServerOptions = {}): string[] {
  const flags = Object.entries(options).filter(([, value]) => value !== undefined);
  return [app, ...flags.map(([name, value]) => `--${name}=${String(value)}`)];
}

/** The app a command line names, and its options: the app's own, then the command line's. */
export function parseServerArgs(argv: readonly string[]): { app: App; options: ServeOptions & ServerOptions } {
  const [name = "", ...flags] = argv;
  if (!isKey(apps, name)) throw new Error(`test server: no app "${name}"; apps.ts has ${Object.keys(apps).join(", ")}`);
  const given: ServerOptions = {};
  for (const flag of flags) {
    const [, option = "", value = ""] = /^--(\w+)=(.*)$/.exec(flag) ?? [];
    if (!isKey(readers, option)) throw new Error(`test server: unknown option ${flag}`);
    Object.assign(given, { [option]: readers[option](value) });
  }
  return { app: apps[name].app, options: { onError: reportToStderr, ...apps[name].options, ...given } };
}

// One `test()` over three test runners, so the unit tests of src/ run unchanged under `deno test`,
// `bun test` and Vitest (`npm test`). Each runtime's runner is loaded only where it exists.
type Body = () => void | Promise<void>;
type Register = (name: string, body: Body) => void;

interface DenoTesting {
  test(name: string, body: Body): void;
}

async function runner(): Promise<Register> {
  const global = globalThis as typeof globalThis & { Deno?: DenoTesting; Bun?: unknown };
  if (global.Deno) return (name, body) => global.Deno!.test(name, body);
  const module: { test: Register } = global.Bun ? await import("bun:test" as string) : await import("vitest");
  return module.test;
}

export const test: Register = await runner();

/** Structural equality for plain data, with a message that shows both sides. */
export function assertEqual(actual: unknown, expected: unknown, what = "value"): void {
  const [a, e] = [JSON.stringify(actual), JSON.stringify(expected)];
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

/** The error a promise rejects with, or a failure if it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

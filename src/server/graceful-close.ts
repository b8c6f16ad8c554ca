/**
 * The shared shutdown of SPEC.md §4.6: `drain` stops accepting and resolves once the requests in flight
 * and their `waitUntil` work are done; past `timeout` ms, `force` cuts what is left.
 */
export async function closeGracefully(
  drain: () => Promise<void>,
  timeout: number,
  force: () => void | Promise<void>,
): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<"late">((resolve) => {
    timer = setTimeout(resolve, timeout, "late");
  });
  const finished = drain();
  try {
    if ((await Promise.race([finished, deadline])) === "late") await force();
  } finally {
    clearTimeout(timer);
  }
}

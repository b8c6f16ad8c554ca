// Rounds in which the contestants take turns, each round starting one later, so that drift on a shared
// machine hits them alike: for the in-process benches and the ones that start their own servers.

/**
 * `rounds` samples of `measure` for each of `contestants`, in the order given; round r starts at contestant r.
 *
 * @example
 * const [floor, tsgi] = await takeTurns([floorHandler, tsgiHandler], 41, (handler) => cpuPerCall(handler));
 */
export async function takeTurns<T>(
  contestants: readonly T[],
  rounds: number,
  measure: (contestant: T) => Promise<number>,
): Promise<number[][]> {
  const samples = contestants.map((): number[] => []);
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < contestants.length; k++) {
      const i = (k + round) % contestants.length;
      samples[i].push(await measure(contestants[i]));
    }
  }
  return samples;
}

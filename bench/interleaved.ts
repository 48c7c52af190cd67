/**
 * Microseconds per call of each function, measured in turns. The machine is shared and noisy, so
 * the functions take turns in short rounds: a burst of load slows all of them, not just whichever
 * happened to run then.
 */
export function measure(fns: (() => void)[], seconds: number, rounds = 10): number[] {
  for (const fn of fns) for (let i = 0; i < 200; i++) fn(); // warm-up: let the JIT settle
  const slice = BigInt(Math.round((seconds * 1e9) / rounds / fns.length));
  const spent = fns.map(() => 0n);
  const calls = fns.map(() => 0);
  for (let r = 0; r < rounds; r++) {
    fns.forEach((fn, k) => {
      const start = process.hrtime.bigint();
      let now = start;
      while (now - start < slice) {
        for (let i = 0; i < 20; i++) fn();
        calls[k] = (calls[k] as number) + 20;
        now = process.hrtime.bigint();
      }
      spent[k] = (spent[k] as bigint) + (now - start);
    });
  }
  return spent.map((ns, k) => Number(ns) / 1e3 / (calls[k] as number));
}

/** mulberry32: a small, fast, seeded PRNG (uniform in [0, 1)); the same seed gives the same run. */
export const seededRandom = (seed: number): (() => number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
};

/** Picks an entry of a weighted table with `random()`. */
export const pickWeighted = <T>(table: readonly { weight: number; value: T }[], random: () => number): T => {
  const total = table.reduce((sum, entry) => sum + entry.weight, 0);
  let roll = random() * total;
  for (const entry of table) {
    roll -= entry.weight;
    if (roll < 0) return entry.value;
  }
  return table[table.length - 1]!.value;
};

/**
 * Jensen-Shannon distance (the square root of the divergence), as
 * `scipy.spatial.distance.jensenshannon(p, q, base)`: p and q are normalised to sum 1,
 * m = (p + q)/2, JS = √((KL(p‖m) + KL(q‖m)) / 2). `base` defaults to e like scipy's (and
 * Evidently's) default, giving values in [0, √ln 2 ≈ 0.833]; base 2 gives [0, 1].
 */
export function jensenShannon(p: readonly number[], q: readonly number[], base: number = Math.E): number {
  const pTotal = p.reduce((s, v) => s + v, 0);
  const qTotal = q.reduce((s, v) => s + v, 0);
  let left = 0;
  let right = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i]! / pTotal;
    const qi = q[i]! / qTotal;
    const m = (pi + qi) / 2;
    if (pi > 0) left += pi * Math.log(pi / m);
    if (qi > 0) right += qi * Math.log(qi / m);
  }
  const divergence = (left + right) / 2 / Math.log(base);
  return Math.sqrt(Math.max(0, divergence));
}

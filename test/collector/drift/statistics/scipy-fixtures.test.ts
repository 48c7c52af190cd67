/**
 * Every raw-value statistic against scipy's own numbers (test/fixtures/drift/*.json):
 * KS and chi-square p-values to 1e-6 relative, statistics and distances to 1e-9
 * (|a − b| ≤ 1e-9 · max(1, |b|)).
 */
import { describe, expect, it } from 'vitest';
import { chiSquareContingency, chiSquareSf } from '../../../../collector/drift/statistics/chi-square.js';
import { jensenShannon } from '../../../../collector/drift/statistics/jensen-shannon.js';
import { klDivergence } from '../../../../collector/drift/statistics/kl-divergence.js';
import { kolmogorovSf } from '../../../../collector/drift/statistics/kolmogorov-sf.js';
import { ksTwoSample } from '../../../../collector/drift/statistics/ks-two-sample.js';
import { lInfinity } from '../../../../collector/drift/statistics/l-infinity.js';
import { psi } from '../../../../collector/drift/statistics/psi.js';
import { binCounts, quantileEdges } from '../../../../collector/drift/statistics/quantile-bins.js';
import { smoothShares, toShares } from '../../../../collector/drift/statistics/shares.js';
import {
  normaliseByStd,
  populationStd,
  wassersteinDistance,
} from '../../../../collector/drift/statistics/wasserstein.js';
import {
  categoricalFixtures,
  distributionPoints,
  expectClose,
  expectRelative,
  numericFixtures,
} from '../drift-fixtures.js';

const P_REL = 1e-6;
const DIST_TOL = 1e-9;

describe('kstwo.sf (one-sample Kolmogorov distribution) against scipy', () => {
  it.each(distributionPoints().kstwo.map((p) => [p.n, p.x, p.sf] as const))('n=%i x=%f', (n, x, sf) => {
    expectRelative(kolmogorovSf(n, x), sf, P_REL);
    expect(Number.isFinite(kolmogorovSf(n, x))).toBe(true);
  });
});

describe('chi2.sf against scipy', () => {
  it.each(distributionPoints().chi2.map((p) => [p.x, p.dof, p.sf] as const))('x=%f dof=%i', (x, dof, sf) => {
    expectRelative(chiSquareSf(x, dof), sf, P_REL);
    expect(chiSquareSf(x, dof)).toBeGreaterThanOrEqual(0);
  });
});

describe.each(numericFixtures())('numeric fixture $name', ({ reference, current, expected }) => {
  it('KS statistic, p-value and method match ks_2samp(method="auto")', () => {
    const ks = ksTwoSample(reference, current);
    expect(ks.method).toBe(expected.ks.method);
    expectClose(ks.statistic, expected.ks.statistic, 1e-12);
    expectRelative(ks.pValue, expected.ks.pValue, P_REL);
  });

  it('bins: reference-quantile edges and counts match numpy', () => {
    const edges = quantileEdges(Float64Array.from(reference).sort());
    expect(edges.length).toBe(expected.edges.length);
    edges.forEach((e, i) => expectClose(e, expected.edges[i]!, DIST_TOL));
    expect(binCounts(edges, reference)).toEqual(expected.referenceCounts);
    expect(binCounts(edges, current)).toEqual(expected.currentCounts);
  });

  it('PSI, Jensen-Shannon (e and 2) and KL (e and 2) on those bins', () => {
    const r = toShares(expected.referenceCounts);
    const c = toShares(expected.currentCounts);
    expectClose(psi(smoothShares(r), smoothShares(c)), expected.psi, DIST_TOL);
    expectClose(jensenShannon(r, c), expected.jensenShannon.e, DIST_TOL);
    expectClose(jensenShannon(r, c, 2), expected.jensenShannon['2'], DIST_TOL);
    expectClose(klDivergence(smoothShares(r), smoothShares(c)), expected.kl.e, DIST_TOL);
    expectClose(klDivergence(smoothShares(r), smoothShares(c), 2), expected.kl['2'], DIST_TOL);
  });

  it('Wasserstein and Wasserstein / np.std(reference)', () => {
    const wd = wassersteinDistance(reference, current);
    expectClose(wd, expected.wasserstein, DIST_TOL);
    expectClose(populationStd(reference), expected.referenceStd, DIST_TOL);
    expectClose(normaliseByStd(wd, populationStd(reference)), expected.wassersteinNormed, DIST_TOL);
  });
});

describe.each(categoricalFixtures())('categorical fixture $name', ({ reference, current, expected }) => {
  const ref = expected.categories.map((c) => reference[c] ?? 0);
  const cur = expected.categories.map((c) => current[c] ?? 0);

  it('chi-square statistic, dof and p-value match chi2_contingency(correction=False)', () => {
    const chi = chiSquareContingency([ref, cur]);
    expect(chi.dof).toBe(expected.chiSquare.dof);
    expectClose(chi.statistic, expected.chiSquare.statistic, DIST_TOL);
    expectRelative(chi.pValue, expected.chiSquare.pValue, P_REL);
  });

  it('Jensen-Shannon, PSI and L-infinity', () => {
    const r = toShares(ref);
    const c = toShares(cur);
    expectClose(jensenShannon(r, c), expected.jensenShannon.e, DIST_TOL);
    expectClose(jensenShannon(r, c, 2), expected.jensenShannon['2'], DIST_TOL);
    expectClose(psi(smoothShares(r), smoothShares(c)), expected.psi, DIST_TOL);
    expectClose(lInfinity(r, c), expected.lInfinity, DIST_TOL);
  });
});

import { describe, expect, it } from 'vitest';
import {
  chooseMethod,
  DEFAULT_DRIFT_OPTIONS,
  resolveDriftOptions,
  type DriftOptions,
} from '../../../../collector/drift/report/drift-options.js';

describe('resolveDriftOptions', () => {
  it('fills every default', () => {
    expect(resolveDriftOptions()).toEqual(DEFAULT_DRIFT_OPTIONS);
  });

  it.each<[string, DriftOptions, string]>([
    ['bins', { bins: 0 }, 'bins'],
    ['epsilon', { epsilon: 0 }, 'epsilon'],
    ['base', { base: 1 }, 'base'],
    ['driftShare', { driftShare: 1.5 }, 'driftShare'],
    ['numeric default method', { numeric: { large: { method: 'chi_square', threshold: 0.1 } } }, 'numeric.large'],
    ['categorical default method', { categorical: { small: { method: 'ks', threshold: 0.05 } } }, 'categorical.small'],
    ['feature threshold', { features: { x: { threshold: -1 } } }, 'features.x'],
  ])('rejects a bad %s, naming it', (_, options, name) => {
    expect(() => resolveDriftOptions(options)).toThrow(name);
  });
});

describe('chooseMethod', () => {
  const o = resolveDriftOptions({ smallSampleLimit: 100, features: { f: { method: 'kl' }, g: { threshold: 0.3 } } });
  it.each([
    ['numeric', 'x', 100, { method: 'ks', threshold: 0.05 }],
    ['numeric', 'x', 101, { method: 'wasserstein', threshold: 0.1 }],
    ['categorical', 'x', 50, { method: 'chi_square', threshold: 0.05 }],
    ['categorical', 'x', 5000, { method: 'jensen_shannon', threshold: 0.1 }],
    ['numeric', 'f', 5000, { method: 'kl', threshold: 0.1 }],
    ['numeric', 'g', 5000, { method: 'wasserstein', threshold: 0.3 }],
  ] as const)('%s feature %s with %i reference values', (type, name, n, expected) => {
    expect(chooseMethod(o, name, type, n)).toEqual(expected);
  });
});

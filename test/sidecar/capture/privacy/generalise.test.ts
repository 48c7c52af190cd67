import { describe, expect, it } from 'vitest';
import { asNumber, generalise, type Generalisation } from '../../../../sidecar/capture/privacy/generalise.js';

const decades: Generalisation = { kind: 'width', width: 10, origin: 0 };
const fives: Generalisation = { kind: 'width', width: 5, origin: 3 };
const tenths: Generalisation = { kind: 'width', width: 0.1, origin: 0 };
const bands: Generalisation = { kind: 'edges', edges: [18, 25, 65] };
const fractional: Generalisation = { kind: 'edges', edges: [0, 0.5, 1] };

describe('generalise', () => {
  it.each<[number, Generalisation, string]>([
    [34, decades, '30-39'],
    [30, decades, '30-39'],
    [39.9, decades, '30-39'],
    [0, decades, '0-9'],
    [-3, decades, '-10--1'],
    [7, fives, '3-7'],
    [8, fives, '8-12'],
    [0.34, tenths, '[0.3,0.4)'],
    [17, bands, '<18'],
    [18, bands, '18-24'],
    [40, bands, '25-64'],
    [65, bands, '>=65'],
    [0.7, fractional, '[0.5,1)'],
  ])('%d → %s', (value, g, label) => {
    expect(generalise(value, g)).toBe(label);
  });

  it.each<[unknown, number | undefined]>([
    [42, 42],
    ['42.5', 42.5],
    [' 7 ', 7],
    ['', undefined],
    ['forty', undefined],
    [true, undefined],
    [null, undefined],
  ])('reads %j as %s', (value, n) => {
    expect(asNumber(value)).toBe(n);
  });
});

import { describe, expect, it } from 'vitest';
import { buildCause } from '../../../collector/alerts/alert-cause.js';
import { defaultDriftStatistic, driftReading, missingRateReading } from '../../../collector/alerts/drift-reading.js';
import { DEFAULT_DRIFT_OPTIONS } from '../../../collector/drift/report/drift-options.js';
import { featureDrift } from '../../../collector/drift/report/feature-drift.js';
import { makeRule } from './alert-fixtures.js';

const regions = (eu: number, us: number, missing = 0) => ({
  type: 'categorical' as const,
  values: [...Array<string>(eu).fill('eu'), ...Array<string>(us).fill('us'), ...Array<null>(missing).fill(null)],
});
const shifted = featureDrift('region', regions(50, 50), regions(90, 10, 25), DEFAULT_DRIFT_OPTIONS);
const numeric = featureDrift(
  'amount',
  { type: 'numeric', values: Array.from({ length: 200 }, (_, i) => i) },
  { type: 'numeric', values: Array.from({ length: 200 }, (_, i) => i + 80) },
  DEFAULT_DRIFT_OPTIONS,
);
const rule = makeRule({ metric: 'drift', feature: 'region', comparison: '>', threshold: 0.1 });

describe('drift readings for alert rules', () => {
  it.each([
    ['categorical default', shifted, 'chi_square_p_value'],
    ['numeric default', numeric, 'ks_p_value'],
  ])('%s statistic is the method, as a p-value for tests', (_name, f, expected) => {
    expect(defaultDriftStatistic(f)).toBe(expected);
    expect(driftReading(f, { ...rule, statistic: undefined })!.value).toBe(f.statistics[expected]);
  });

  it.each(['psi', 'jensen_shannon', 'l_infinity'])('reads the named statistic %s', (statistic) => {
    expect(driftReading(shifted, { ...rule, statistic })!.value).toBe(shifted.statistics[statistic]);
  });

  it('carries moved bins, flags and exemplars into an actionable cause', () => {
    const reading = driftReading(shifted, { ...rule, statistic: 'psi' }, { requestIds: ['r1', 'r2'], traceIds: ['t1', 't2'] })!;
    const cause = buildCause({ ...rule, statistic: 'psi' }, reading);
    expect(cause.movedBins?.map((b) => (b.kind === 'category' ? b.category : ''))).toEqual(expect.arrayContaining(['eu', 'us']));
    expect(cause).toMatchObject({ feature: 'region', statistic: 'psi', count: 100, exemplarRequestIds: ['r1', 'r2'], exemplarTraceIds: ['t1', 't2'] });
    expect(cause.details).toMatchObject({ drifted: true, flags: expect.arrayContaining([expect.objectContaining({ kind: 'missing_rate_changed' })]) });
    expect(cause.summary).toContain('(psi) of model fraud feature region is');
  });

  it.each([
    ['an unknown statistic', { statistic: 'nope' }],
    ['too few current values', { statistic: 'psi', minCount: 101 }],
  ])('has no data for %s', (_name, overrides) => {
    expect(driftReading(shifted, { ...rule, ...overrides })).toBeUndefined();
  });

  it('gives the missing rate of the current window', () => {
    const reading = missingRateReading(shifted, { ...rule, metric: 'missing_rate' })!;
    expect(reading.value).toBe(25 / 125);
    expect(reading.cause).toMatchObject({ count: 125, details: { referenceMissingRate: 0, missing: 25 } });
  });
});

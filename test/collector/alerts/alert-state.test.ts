import { describe, expect, it } from 'vitest';
import type { Alert, AlertCause } from '../../../collector/alerts/alert.js';
import type { AlertRule } from '../../../collector/alerts/alert-rule.js';
import { stepAlert, type Evaluation } from '../../../collector/alerts/alert-state.js';

const rule = (forMs: number): AlertRule => ({
  id: 'r',
  name: 'R',
  metric: 'error_rate',
  comparison: '>',
  threshold: 0.1,
  windowMs: 60_000,
  forMs,
  minCount: 1,
  severity: 'warning',
  labels: { team: 'ml' },
  annotations: {},
  origin: 'api',
});
const cause = (value: number): AlertCause => ({
  metric: 'error_rate',
  value,
  threshold: 0.1,
  comparison: '>',
  window: '1m',
  exemplarRequestIds: [],
  exemplarTraceIds: [],
  summary: `v=${value}`,
});
const v = (value: number): Evaluation => ({ kind: 'value', value, met: value > 0.1, cause: cause(value) });
const NO_DATA: Evaluation = { kind: 'no_data' };

/** Runs evaluations at t = 0, 1000, 2000 … and records the state and transition after each. */
function run(forMs: number, evaluations: Evaluation[]): [string, string][] {
  let active: Alert | undefined;
  return evaluations.map((e, i) => {
    const { alert, transition } = stepAlert(active, rule(forMs), e, i * 1000);
    active = alert !== undefined && alert.state !== 'resolved' && transition !== 'dropped' ? alert : undefined;
    return [alert?.state ?? '-', transition ?? '-'];
  });
}

describe('the alert state machine', () => {
  it.each<[string, number, Evaluation[], [string, string][]]>([
    ['fires at once when for is 0', 0, [v(0.5)], [['firing', 'firing']]],
    [
      'stays quiet while the condition does not hold',
      0,
      [v(0), NO_DATA],
      [
        ['-', '-'],
        ['-', '-'],
      ],
    ],
    [
      'is pending until for has elapsed',
      2000,
      [v(0.5), v(0.5), v(0.5), v(0.5)],
      [
        ['pending', 'pending'],
        ['pending', '-'],
        ['firing', 'firing'],
        ['firing', '-'],
      ],
    ],
    [
      'drops a pending alert whose condition stops',
      2000,
      [v(0.5), v(0), v(0.5)],
      [
        ['pending', 'pending'],
        ['pending', 'dropped'],
        ['pending', 'pending'],
      ],
    ],
    [
      'resolves a firing alert when the value recovers',
      0,
      [v(0.5), v(0.05), v(0.05)],
      [
        ['firing', 'firing'],
        ['resolved', 'resolved'],
        ['-', '-'],
      ],
    ],
    [
      'resolves a firing alert when data stops',
      0,
      [v(0.5), NO_DATA],
      [
        ['firing', 'firing'],
        ['resolved', 'resolved'],
      ],
    ],
    [
      'starts a new episode after resolving',
      1000,
      [v(0.5), v(0.5), v(0), v(0.5), v(0.5)],
      [
        ['pending', 'pending'],
        ['firing', 'firing'],
        ['resolved', 'resolved'],
        ['pending', 'pending'],
        ['firing', 'firing'],
      ],
    ],
  ])('%s', (_name, forMs, evaluations, expected) => {
    expect(run(forMs, evaluations)).toEqual(expected);
  });

  it('keeps the episode id, start and firing time, and updates value and cause while firing', () => {
    const r = rule(1000);
    const first = stepAlert(undefined, r, v(0.2), 5000).alert!;
    const fired = stepAlert(first, r, v(0.3), 6000).alert!;
    const later = stepAlert(fired, r, v(0.4), 7000).alert!;
    expect([first.id, fired.id, later.id]).toEqual(['r@5000', 'r@5000', 'r@5000']);
    expect([later.activeAtMs, later.firedAtMs, later.value, later.cause.summary, later.lastEvaluatedMs]).toEqual([
      5000,
      6000,
      0.4,
      'v=0.4',
      7000,
    ]);
    const resolved = stepAlert(later, r, NO_DATA, 8000).alert!;
    expect([resolved.resolvedAtMs, resolved.value, resolved.resolvedReason]).toEqual([
      8000,
      0.4,
      expect.stringContaining('no data'),
    ]);
    expect(resolved.labels).toEqual({ team: 'ml' });
  });
});

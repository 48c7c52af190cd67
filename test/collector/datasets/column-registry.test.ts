import { describe, expect, it } from 'vitest';
import { ColumnRegistry } from '../../../collector/datasets/column-registry.js';
import { capturedSpan } from '../drift/drift-spans.js';

/** The feature columns kept at ingest: which features a range holds, their order and types, and what it covers. */
const T = Date.UTC(2025, 5, 1);

describe('the column registry', () => {
  const registry = new ColumnRegistry(T);
  registry.onSpans([
    capturedSpan({ model: 'm', version: '1', startMs: T + 1000, inputs: { b: 1, a: 'x' }, outputs: { y: true } }),
    capturedSpan({ model: 'm', version: '2', startMs: T + 5000, inputs: { b: 'two', c: [1, 2] }, batch: 2 }),
    capturedSpan({
      model: 'm',
      version: '1',
      startMs: T + 9000,
      inputs: { late: 3 },
      extra: { 'ml.privacy.redacted': ['ml.input.email'] },
    }),
    capturedSpan({ model: 'm', version: '1', startMs: T + 9500, inputs: { b: 2 }, kind: 'CLIENT' }),
  ]);
  const names = (version: string | undefined, start: number, end: number) =>
    registry
      .columns('m', version, start, end)
      ?.features.columns({ label: false, drifted: false })
      .slice(5)
      .map((c) => `${c.name}:${c.type}`);

  it.each([
    [
      'every version, whole range',
      undefined,
      T,
      T + 10_000,
      ['input.b:string', 'input.a:string', 'input.c:double', 'input.late:double', 'output.y:boolean'],
    ],
    [
      'version 1 only',
      '1',
      T,
      T + 10_000,
      ['input.b:double', 'input.a:string', 'input.late:double', 'output.y:boolean'],
    ],
    [
      'a range before the late feature',
      undefined,
      T,
      T + 8000,
      ['input.b:string', 'input.a:string', 'input.c:double', 'output.y:boolean'],
    ],
    ['a range with nothing', undefined, T + 20_000, T + 30_000, []],
    ['a range it does not cover', undefined, T - 1, T + 10_000, undefined],
  ])('%s', (_name, version, start, end, expected) => {
    expect(names(version, start, end)).toEqual(expected);
  });

  it('keeps what the sidecar redacted, per model', () => {
    expect(registry.columns('m', undefined, T, T + 10_000)?.redacted).toEqual(['ml.input.email']);
    expect(registry.columns('other', undefined, T, T + 10_000)?.redacted).toEqual([]);
  });
});

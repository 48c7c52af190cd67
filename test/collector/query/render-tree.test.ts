import { describe, expect, it } from 'vitest';
import { formatMicros, formatValue, renderRequest, renderTrace } from '../../../collector/query/render-tree.js';
import type { SpanJson, TraceJson } from '../../../collector/query/trace-json.js';

/** Hand-made API JSON: spans as [id, depth, service, name] in tree order. */
function trace(
  rows: [string, number, string?, string?][],
  extra: Partial<TraceJson> = {},
  spanExtra: Record<string, Partial<SpanJson>> = {},
): TraceJson {
  const spans: SpanJson[] = rows.map(([id, depth, service, name]) => ({
    spanId: id.padStart(16, '0'),
    parentSpanId: '',
    traceState: '',
    name: name ?? `op${id}`,
    kind: 'INTERNAL',
    serviceName: service ?? 'svc',
    startTimeUnixNano: '0',
    startTimeMicros: 0,
    endTimeUnixNano: '0',
    offsetMicros: Number(id) * 1000,
    durationNano: '0',
    durationMicros: 1500,
    status: { code: 'UNSET', message: '' },
    attributes: {},
    events: [],
    links: [],
    resource: {},
    scope: { name: '', version: '' },
    flags: 1,
    depth,
    childSpanIds: [],
    warnings: [],
    ...spanExtra[id],
  }));
  return {
    traceId: 'f'.repeat(32),
    rootService: 'svc',
    rootOperation: 'op1',
    startTimeUnixNano: '1714564800000000000',
    startTimeMicros: 1714564800000000,
    startTime: '2024-05-01T12:00:00.000Z',
    durationNano: '20000000',
    durationMicros: 20000,
    spanCount: spans.length,
    errorCount: 0,
    services: ['svc'],
    requestIds: [],
    warnings: [],
    rootSpanIds: [],
    spans,
    ...extra,
  };
}

const HEADER = `trace ${'f'.repeat(32)} · 2024-05-01T12:00:00.000Z · 20ms`;

describe('renderTrace', () => {
  it.each([
    ['one span', [['1', 0]], ['svc  op1  [INTERNAL]  1.5ms  at +1ms']],
    [
      'a chain',
      [
        ['1', 0],
        ['2', 1],
        ['3', 2],
      ],
      [
        'svc  op1  [INTERNAL]  1.5ms  at +1ms',
        '└─ svc  op2  [INTERNAL]  1.5ms  at +2ms',
        '   └─ svc  op3  [INTERNAL]  1.5ms  at +3ms',
      ],
    ],
    [
      'siblings with children',
      [
        ['1', 0],
        ['2', 1],
        ['3', 2],
        ['4', 2],
        ['5', 1],
        ['6', 2],
      ],
      [
        'svc  op1  [INTERNAL]  1.5ms  at +1ms',
        '├─ svc  op2  [INTERNAL]  1.5ms  at +2ms',
        '│  ├─ svc  op3  [INTERNAL]  1.5ms  at +3ms',
        '│  └─ svc  op4  [INTERNAL]  1.5ms  at +4ms',
        '└─ svc  op5  [INTERNAL]  1.5ms  at +5ms',
        '   └─ svc  op6  [INTERNAL]  1.5ms  at +6ms',
      ],
    ],
    [
      'two roots (an orphan)',
      [
        ['1', 0],
        ['2', 1],
        ['3', 0],
      ],
      [
        'svc  op1  [INTERNAL]  1.5ms  at +1ms',
        '└─ svc  op2  [INTERNAL]  1.5ms  at +2ms',
        'svc  op3  [INTERNAL]  1.5ms  at +3ms',
      ],
    ],
  ] as [string, [string, number][], string[]][])('%s', (_name, rows, tree) => {
    const text = renderTrace(trace(rows));
    expect(text).toBe(
      `${HEADER} · ${rows.length} span${rows.length > 1 ? 's' : ''} · 1 service · 0 errors\n\n${tree.join('\n')}\n`,
    );
  });

  it('marks errors, OK, renamed spans and warnings, lists ml.* attributes in order under their span, then the warnings', () => {
    const text = renderTrace(
      trace(
        [
          ['1', 0, 'sidecar', 'POST /infer'],
          ['2', 1, 'model', 'infer'],
          ['3', 0, 'orphan', 'x'],
        ],
        {
          requestIds: ['r-1'],
          errorCount: 1,
          warnings: ['span 0000000000000003 (orphan "x"): parent span 0000000000000009 never arrived; shown as a root'],
        },
        {
          1: {
            status: { code: 'ERROR', message: 'upstream answered 503' },
            attributes: {
              'ml.output.score': [0.9, 0.1],
              'http.request.method': 'POST',
              'ml.input.text': 'line one\nline two',
              'ml.model.name': 'bert',
              'ml.request.id': 'r-1',
              'ml.input.age': 41,
            },
          },
          2: { status: { code: 'OK', message: '' }, originalSpanId: '00000000000000aa' },
          3: { warnings: ['parent span 0000000000000009 never arrived; shown as a root'] },
        },
      ),
    );
    expect(text.split('\n')).toEqual([
      `${HEADER} · 3 spans · 1 service · 1 error`,
      'request id: r-1',
      '',
      'sidecar  POST /infer  [INTERNAL]  1.5ms  at +1ms  ✗ ERROR: upstream answered 503',
      '│  ml.request.id   = r-1',
      '│  ml.model.name   = bert',
      '│  ml.input.text   = line one line two',
      '│  ml.input.age    = 41',
      '│  ml.output.score = [0.9,0.1]',
      '└─ model  infer  [INTERNAL]  1.5ms  at +2ms  OK  (stored as span 00000000000000aa)',
      'orphan  x  [INTERNAL]  1.5ms  at +3ms  ⚠',
      '',
      'warnings (1):',
      '  ⚠ span 0000000000000003 (orphan "x"): parent span 0000000000000009 never arrived; shown as a root',
      '',
    ]);
  });

  it('stops indenting a very deep trace and says the depth instead', () => {
    const rows = Array.from({ length: 60 }, (_, i) => [String(i + 1), i] as [string, number]);
    const lines = renderTrace(trace(rows)).split('\n');
    const deepest = lines.find((l) => l.includes(' op60 '))!;
    expect(deepest).toContain('⋯depth 59⋯ └─ svc  op60');
    expect(deepest.length).toBeLessThan(200);
  });
});

describe('renderRequest', () => {
  it.each([
    [1, 1, 'request r: 1 trace\n'],
    [2, 2, 'request r: 2 traces\n'],
    [1, 5, 'request r: 5 traces (the 1 most recent of 5)\n'],
  ])('%i shown of %i', (shown, total, head) => {
    const text = renderRequest({
      requestId: 'r',
      traces: Array.from({ length: shown }, () => trace([['1', 0]])),
      totalTraces: total,
    });
    expect(text.startsWith(`${head}\n${HEADER}`)).toBe(true);
    expect(text.split(HEADER)).toHaveLength(shown + 1);
  });
});

describe('formatting', () => {
  it.each([
    [0, '0µs'],
    [0.25, '0.25µs'],
    [850, '850µs'],
    [1000, '1ms'],
    [12_345.6, '12.35ms'],
    [1_204_000, '1.204s'],
    [123_500_000, '2m 3.5s'],
    [-3000, '-3ms'],
  ])('formatMicros(%d) = %s', (us, text) => expect(formatMicros(us)).toBe(text));

  it.each([
    ['short', 10, 'short'],
    [true, 10, 'true'],
    [{ a: [1, 2] }, 20, '{"a":[1,2]}'],
    ['x'.repeat(12), 10, 'xxxxxxxxxx… (12 characters; --json shows all)'],
  ])('formatValue(%j, %i) = %s', (value, max, text) => expect(formatValue(value, max)).toBe(text));
});

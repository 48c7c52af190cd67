import { describe, expect, it } from 'vitest';
import { dependencyLinks } from '../../../collector/query/dependency-links.js';
import { adjustTrace } from '../../../collector/assembly/assemble-trace.js';
import { standardAdjusters } from '../../../collector/assembly/standard-adjusters.js';
import type { SpanRecord } from '../../../shared/span-record.js';
import { makeSpan } from '../support/span-builder.js';
import { traceA, traceB } from '../support/fixture-traces.js';

const span = (id: string, parent: string, service: string, extra: Partial<SpanRecord> = {}): SpanRecord =>
  makeSpan({ spanId: id, parentSpanId: parent, serviceName: service, resource: { 'service.name': service }, ...extra });

describe('dependency links', () => {
  it.each([
    ['no spans', [], []],
    [
      'one service calling itself',
      [[span('0000000000000001', '', 'a'), span('0000000000000002', '0000000000000001', 'a')]],
      [],
    ],
    [
      'a parent in another service, counted per call, errors counted',
      [
        [span('0000000000000001', '', 'a'), span('0000000000000002', '0000000000000001', 'b')],
        [
          span('0000000000000001', '', 'a'),
          span('0000000000000002', '0000000000000001', 'b', { status: { code: 'ERROR', message: '' } }),
        ],
      ],
      [{ parent: 'a', child: 'b', callCount: 2, errorCount: 1 }],
    ],
    [
      'an uninstrumented callee named by peer.service',
      [[span('0000000000000001', '', 'a', { kind: 'CLIENT', attributes: { 'peer.service': 'redis' } })]],
      [{ parent: 'a', child: 'redis', callCount: 1, errorCount: 0 }],
    ],
    [
      'peer.service not counted twice when the callee sent spans',
      [
        [
          span('0000000000000001', '', 'a', { kind: 'CLIENT', attributes: { 'peer.service': 'b' } }),
          span('0000000000000002', '0000000000000001', 'b', { kind: 'SERVER' }),
        ],
      ],
      [{ parent: 'a', child: 'b', callCount: 1, errorCount: 0 }],
    ],
    ['an orphan (parent not stored)', [[span('0000000000000002', '0000000000000009', 'b')]], []],
  ])('%s', (_label, traces, want) => {
    expect(dependencyLinks(traces)).toStrictEqual(want);
  });

  it('reads the fixture call graph', () => {
    expect(dependencyLinks([traceA(), traceB()])).toStrictEqual([
      { parent: 'iris-sidecar', child: 'iris-model', callCount: 1, errorCount: 0 },
      { parent: 'web', child: 'feature-store', callCount: 1, errorCount: 0 },
      { parent: 'web', child: 'iris-sidecar', callCount: 1, errorCount: 0 },
    ]);
  });

  it('links a Zipkin shared client/server pair once the adjusters have split the shared id', () => {
    const client = span('0000000000000002', '0000000000000001', 'web', { kind: 'CLIENT' });
    const server = span('0000000000000002', '0000000000000001', 'model', { kind: 'SERVER' });
    const root = span('0000000000000001', '', 'web');
    expect(
      dependencyLinks([adjustTrace(root.traceId, [root, client, server], standardAdjusters()).spans]),
    ).toStrictEqual([{ parent: 'web', child: 'model', callCount: 1, errorCount: 0 }]);
  });
});

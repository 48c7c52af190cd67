import { describe, expect, it } from 'vitest';
import { assembleTrace } from '../../../collector/assembly/assemble-trace.js';
import type { TraceNode } from '../../../collector/assembly/build-tree.js';
import { walkTree } from '../../../collector/assembly/build-tree.js';
import { zipkinFixture } from './zipkin-spans.js';

/** The Zipkin fixture traces, assembled end to end by the standard adjusters. */

const shape = (node: TraceNode): unknown => ({
  op: `${node.span.serviceName} ${node.span.kind} ${node.span.name}`,
  children: node.children.map(shape),
});

describe('assembling the Zipkin fixture traces', () => {
  it('clock-skew.json: separates the shared client/server id and centres the skewed server side in its client', () => {
    const { raw, records } = zipkinFixture('clock-skew.json');
    const tree = assembleTrace(records[0]!.traceId, records);

    expect(tree.roots.map(shape)).toEqual([
      {
        op: 'gateway SERVER post /predict',
        children: [
          {
            op: 'gateway CLIENT post /infer',
            children: [
              {
                op: 'model-server SERVER post /infer',
                children: [{ op: 'model-server INTERNAL preprocess', children: [] }],
              },
            ],
          },
        ],
      },
    ]);

    const client = raw.find((s) => s.kind === 'CLIENT')!;
    const server = raw.find((s) => s.kind === 'SERVER' && s.shared)!;
    const async = raw.find((s) => s.name === 'preprocess')!;
    // Jaeger's rule: the server sits centred in its client, the network time split both ways.
    const centredStartUs = client.timestamp + (client.duration! - server.duration!) / 2;
    const deltaUs = Math.trunc(centredStartUs) - server.timestamp;

    const [serverNode] = tree.roots[0]!.children[0]!.children;
    expect(serverNode!.span.originalSpanId).toBe(server.id);
    expect(serverNode!.span.spanId).not.toBe(server.id);
    expect(serverNode!.span.parentSpanId).toBe(client.id);
    expect(serverNode!.span.startTimeUnixNano).toBe(BigInt(Math.trunc(centredStartUs)) * 1000n);
    // The server's own child on the same host moves with it.
    const asyncNode = serverNode!.children[0]!;
    expect(asyncNode.span.parentSpanId).toBe(serverNode!.span.spanId);
    expect(asyncNode.span.startTimeUnixNano).toBe(BigInt(async.timestamp + deltaUs) * 1000n);
    expect(asyncNode.span.endTimeUnixNano - asyncNode.span.startTimeUnixNano).toBe(BigInt(async.duration!) * 1000n);

    expect(tree.warnings).toHaveLength(2);
    expect(tree.warnings[0]).toContain(`span ${serverNode!.span.spanId} (model-server "post /infer")`);
    expect(tree.warnings[0]).toContain('clock skew');
    expect(tree.warnings[1]).toContain(`span ${async.id} (model-server "preprocess")`);
    expect(tree.warnings[1]).toContain(`together with span ${serverNode!.span.spanId}`);
    expect(serverNode!.span.warnings).toHaveLength(1);
  });

  it.each([
    ['db-calls.json', 1, 2, 5],
    ['messaging.json', 1, 4, 4],
    ['proxy-single.json', 1, 1, 1],
  ])('%s: one root, %i tree(s), depth %i, %i spans, no warnings', (file, rootCount, levels, count) => {
    const { records } = zipkinFixture(file);
    const tree = assembleTrace(records[0]!.traceId, records);
    expect(tree.roots).toHaveLength(rootCount);
    expect(tree.warnings).toEqual([]);
    const nodes = walkTree(tree);
    expect(nodes).toHaveLength(count);
    expect(Math.max(...nodes.map((n) => n.depth)) + 1).toBe(levels);
    // Siblings in start order.
    for (const n of nodes) {
      const starts = n.children.map((c) => c.span.startTimeUnixNano);
      expect(starts).toEqual([...starts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    }
  });

  it('messaging.json: an asynchronous producer → consumer hop across hosts is left where it is', () => {
    const { records } = zipkinFixture('messaging.json');
    const tree = assembleTrace(records[0]!.traceId, records);
    const byId = new Map(walkTree(tree).map((n) => [n.span.spanId, n.span]));
    for (const r of records) expect(byId.get(r.spanId)?.startTimeUnixNano).toBe(r.startTimeUnixNano);
    expect(tree.roots.map(shape)).toEqual([
      {
        op: 'scoring-api SERVER post /score',
        children: [
          {
            op: 'scoring-api PRODUCER send features',
            children: [
              {
                op: 'feature-worker CONSUMER poll features',
                children: [{ op: 'feature-worker INTERNAL write features', children: [] }],
              },
            ],
          },
        ],
      },
    ]);
  });

  it('leaves the stored records untouched', () => {
    const { records } = zipkinFixture('clock-skew.json');
    const before = structuredClone(records);
    assembleTrace(records[0]!.traceId, records);
    expect(records).toEqual(before);
  });
});

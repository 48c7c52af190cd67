import { describe, expect, it } from 'vitest';
import type { TraceNode } from '../../../collector/assembly/build-tree.js';
import { buildTree, walkTree } from '../../../collector/assembly/build-tree.js';
import { toWorkingTrace } from '../../../collector/assembly/working-trace.js';
import { span } from './zipkin-spans.js';

/** Spans as "id<parent" pairs, e.g. "2<1"; '' parent is a root. The tree as nested arrays of ids. */
const tree = (pairs: string) =>
  buildTree(
    toWorkingTrace(
      'a'.repeat(32),
      pairs.split(' ').map((p, i) => {
        const [id, parent] = p.split('<') as [string, string];
        return span(id, parent, i, 1);
      }),
    ),
  );
const ids = (n: TraceNode): unknown =>
  n.children.length ? [n.span.spanId.replace(/^0+/, ''), n.children.map(ids)] : n.span.spanId.replace(/^0+/, '');

describe('buildTree', () => {
  it.each([
    ['a chain', '1< 2<1 3<2', [['1', [['2', ['3']]]]], []],
    ['siblings in list order', '1< 3<1 2<1', [['1', ['3', '2']]], []],
    ['two genuine roots', '1< 2<', ['1', '2'], []],
    [
      'an orphan',
      '1< 2<9',
      ['1', '2'],
      ['span 0000000000000002 (svc "op-2"): parent span 0000000000000009 never arrived; shown as a root'],
    ],
    ['an orphan with children', '2<9 3<2', [['2', ['3']]], ['never arrived']],
    ['a span that is its own parent', '1<1 2<1', [['1', ['2']]], ['names itself as its parent']],
    [
      'a loop of parent ids',
      '1<2 2<1',
      [['1', ['2']]],
      ['span 0000000000000001 (svc "op-1"): its chain of parent ids loops back'],
    ],
    [
      'a loop with a span hanging below it',
      '3<2 1<2 2<1',
      [['1', [['2', ['3']]]]],
      ['loops back to itself (parent 0000000000000002)'],
    ],
  ])('%s', (_name, pairs, want, warnings) => {
    const t = tree(pairs);
    expect(t.roots.map(ids)).toEqual(want);
    expect(t.warnings).toHaveLength(warnings.length);
    warnings.forEach((w, i) => expect(t.warnings[i]).toContain(w));
    expect(walkTree(t)).toHaveLength(t.spanCount);
  });

  it('sets depths and puts the warning on the span too', () => {
    const t = tree('1< 2<1 3<2 4<8');
    expect(walkTree(t).map((n) => [n.span.spanId.replace(/^0+/, ''), n.depth])).toEqual([
      ['1', 0],
      ['2', 1],
      ['3', 2],
      ['4', 0],
    ]);
    expect(t.roots[1]!.span.warnings).toEqual(['parent span 0000000000000008 never arrived; shown as a root']);
  });

  it('builds a trace 20,000 spans deep without exhausting the stack', () => {
    const n = 20_000;
    const spans = Array.from({ length: n }, (_, i) => span((i + 1).toString(16), i === 0 ? '' : i.toString(16), i, 1));
    const t = buildTree(toWorkingTrace('a'.repeat(32), spans));
    const nodes = walkTree(t);
    expect(nodes).toHaveLength(n);
    expect(nodes[n - 1]!.depth).toBe(n - 1);
  });
});

import type { WorkingSpan, WorkingTrace } from './working-trace.js';
import { warn } from './working-trace.js';

/**
 * Builds the call tree from parent ids, keeping the order of the span list among siblings.
 *
 * Spans without a parent id are roots. A span whose parent never arrived, or that names itself as
 * its parent, becomes a root too, with a warning. Spans caught in a loop of parent ids (which no
 * honest sender produces) would hang below no root: the earliest of each loop becomes a root, with a
 * warning, so every span appears exactly once.
 */
export interface TraceNode {
  span: WorkingSpan;
  /** 0 for a root. */
  depth: number;
  children: TraceNode[];
}

export interface TraceTree {
  traceId: string;
  roots: TraceNode[];
  spanCount: number;
  warnings: string[];
}

export function buildTree(trace: WorkingTrace): TraceTree {
  const spans = [...trace.spans];
  const warnings = [...trace.warnings];
  const byId = new Map<string, number>();
  spans.forEach((s, i) => {
    if (!byId.has(s.spanId)) byId.set(s.spanId, i);
  });

  const parentOf: (number | undefined)[] = spans.map((s, i) => {
    if (s.parentSpanId === '') return undefined;
    if (s.parentSpanId === s.spanId) {
      spans[i] = warn(warnings, s, 'names itself as its parent; shown as a root');
      return undefined;
    }
    const p = byId.get(s.parentSpanId);
    if (p === undefined) spans[i] = warn(warnings, s, `parent span ${s.parentSpanId} never arrived; shown as a root`);
    return p;
  });

  const childrenOf = new Map<number, number[]>();
  parentOf.forEach((p, i) => {
    if (p === undefined) return;
    const siblings = childrenOf.get(p);
    if (siblings === undefined) childrenOf.set(p, [i]);
    else siblings.push(i);
  });

  const placed = new Set<number>();
  const roots: TraceNode[] = [];
  const nodes: (TraceNode | undefined)[] = [];
  const grow = (rootIndex: number): void => {
    // Iterative, so a trace thousands of spans deep cannot exhaust the stack.
    const root: TraceNode = { span: spans[rootIndex] as WorkingSpan, depth: 0, children: [] };
    roots.push(root);
    nodes[rootIndex] = root;
    placed.add(rootIndex);
    const stack = [rootIndex];
    while (stack.length > 0) {
      const at = stack.pop() as number;
      const node = nodes[at] as TraceNode;
      for (const c of childrenOf.get(at) ?? []) {
        if (placed.has(c)) continue;
        const child: TraceNode = { span: spans[c] as WorkingSpan, depth: node.depth + 1, children: [] };
        node.children.push(child);
        nodes[c] = child;
        placed.add(c);
        stack.push(c);
      }
    }
  };

  parentOf.forEach((p, i) => {
    if (p === undefined) grow(i);
  });
  for (let i = 0; i < spans.length; i++) {
    if (placed.has(i)) continue;
    const breakAt = earliestInLoop(i, parentOf);
    const s = spans[breakAt] as WorkingSpan;
    spans[breakAt] = warn(
      warnings,
      s,
      `its chain of parent ids loops back to itself (parent ${s.parentSpanId}); shown as a root`,
    );
    grow(breakAt);
  }
  return { traceId: trace.traceId, roots, spanCount: spans.length, warnings };
}

/** Follows parents from an unplaced span to the loop above it; returns the loop's earliest span. */
function earliestInLoop(from: number, parentOf: readonly (number | undefined)[]): number {
  const seen = new Set<number>();
  let at = from;
  while (!seen.has(at)) {
    seen.add(at);
    at = parentOf[at] as number; // an unplaced span always has a parent, or it would be a root
  }
  let earliest = at;
  for (let x = parentOf[at] as number; x !== at; x = parentOf[x] as number) earliest = Math.min(earliest, x);
  return earliest;
}

/** Every node of the tree, parents before children, siblings in order (a pre-order walk). */
export function walkTree(tree: Pick<TraceTree, 'roots'>): TraceNode[] {
  const out: TraceNode[] = [];
  const stack = [...tree.roots].reverse();
  while (stack.length > 0) {
    const node = stack.pop() as TraceNode;
    out.push(node);
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as TraceNode);
  }
  return out;
}

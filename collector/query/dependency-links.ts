import type { SpanRecord } from '../../shared/span-record.js';

/**
 * Service dependency links from stored call trees, as the Jaeger and Zipkin dependency views
 * show them: one call per span whose parent span belongs to another service (parent service →
 * child service), plus, for CLIENT and PRODUCER spans whose callee sent no spans, one call to the
 * service their `peer.service` attribute names (an uninstrumented model server, a broker). Pure.
 */
export interface DependencyLink {
  parent: string;
  child: string;
  callCount: number;
  /** Calls whose callee span (or, for an uninstrumented callee, the caller span) has status ERROR. */
  errorCount: number;
}

export function dependencyLinks(traces: readonly (readonly SpanRecord[])[]): DependencyLink[] {
  const links = new Map<string, DependencyLink>();
  const add = (parent: string, child: string, error: boolean): void => {
    const key = JSON.stringify([parent, child]);
    let link = links.get(key);
    if (link === undefined) {
      link = { parent, child, callCount: 0, errorCount: 0 };
      links.set(key, link);
    }
    link.callCount++;
    if (error) link.errorCount++;
  };
  for (const spans of traces) {
    const byId = new Map<string, SpanRecord>();
    for (const s of spans) if (!byId.has(s.spanId)) byId.set(s.spanId, s);
    const hasRemoteChild = new Set<string>();
    for (const s of spans) {
      const parent = s.parentSpanId === '' ? undefined : byId.get(s.parentSpanId);
      if (parent === undefined || parent === s || parent.serviceName === s.serviceName) continue;
      add(parent.serviceName, s.serviceName, s.status.code === 'ERROR');
      hasRemoteChild.add(parent.spanId);
    }
    for (const s of spans) {
      if ((s.kind !== 'CLIENT' && s.kind !== 'PRODUCER') || hasRemoteChild.has(s.spanId)) continue;
      const peer = s.attributes['peer.service'];
      if (typeof peer === 'string' && peer !== '' && peer !== s.serviceName)
        add(s.serviceName, peer, s.status.code === 'ERROR');
    }
  }
  return [...links.values()].sort((a, b) =>
    a.parent !== b.parent ? (a.parent < b.parent ? -1 : 1) : a.child < b.child ? -1 : a.child > b.child ? 1 : 0,
  );
}

/** The Zipkin v2 JSON model (zipkin2-api.yaml, definitions Span, Endpoint, Annotation, DependencyLink). */

export type ZipkinKind = 'CLIENT' | 'SERVER' | 'PRODUCER' | 'CONSUMER';

export interface ZipkinEndpoint {
  serviceName?: string;
  ipv4?: string;
  ipv6?: string;
  port?: number;
}

export interface ZipkinAnnotation {
  /** Epoch microseconds. */
  timestamp: number;
  value: string;
}

/** Fields that can be absent are omitted rather than sent empty (Zipkin and the OTel mapping ask for that). */
export interface ZipkinSpan {
  traceId: string;
  id: string;
  parentId?: string;
  name?: string;
  kind?: ZipkinKind;
  /** Epoch microseconds of the start. */
  timestamp?: number;
  /** Microseconds, at least 1. */
  duration?: number;
  debug?: boolean;
  shared?: boolean;
  localEndpoint?: ZipkinEndpoint;
  remoteEndpoint?: ZipkinEndpoint;
  annotations?: ZipkinAnnotation[];
  tags?: Record<string, string>;
}

export interface ZipkinDependencyLink {
  parent: string;
  child: string;
  callCount: number;
  /** Omitted when zero, as Zipkin does. */
  errorCount?: number;
}

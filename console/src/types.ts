/** The shapes of the collector's answers that the console reads (see docs for the full ones). */
export type AttributeValue = string | number | boolean | null | AttributeValue[] | { [k: string]: AttributeValue };

export interface TraceSpan {
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: string;
  serviceName: string;
  depth: number;
  offsetMicros: number;
  durationMicros: number;
  startTimeMicros: number;
  status: { code: string; message: string };
  attributes: Record<string, AttributeValue>;
  warnings: string[];
}

export interface Trace {
  traceId: string;
  rootService: string;
  rootOperation: string;
  startTimeMicros: number;
  durationMicros: number;
  spanCount: number;
  errorCount: number;
  services: string[];
  requestIds: string[];
  warnings: string[];
  spans: TraceSpan[];
}

interface LatencyPoint {
  start: number;
  count: number;
  errors: number;
  errorRate: number;
  p50: number;
  p95: number;
  p99: number;
}

export interface LatencySeries {
  service: string;
  operation: string;
  model: string | null;
  version: string | null;
  total: LatencyPoint;
  points: LatencyPoint[];
}

export interface MovedBin {
  kind: 'range' | 'category';
  lower?: number | null;
  upper?: number | null;
  category?: string;
  referenceShare: number;
  currentShare: number;
  delta: number;
}

interface Exemplar {
  requestId: string;
  traceId: string;
  time: string;
  value: AttributeValue;
}

export interface FeatureDrift {
  name: string;
  type: string;
  method: string;
  statistic: number | null;
  pValue: number | null;
  threshold: number | null;
  drifted: boolean;
  evaluated: boolean;
  flags: { kind: string }[];
  reference: { count: number; missingRate: number };
  current: { count: number; missingRate: number };
  topMovedBins: MovedBin[];
  exemplars: Exemplar[];
}

export interface DriftAnswer {
  model: string;
  version: string | null;
  window: { start: number; end: number };
  reference: { kind: string; from: string; start?: number; end?: number };
  datasetDrift: boolean;
  driftedShare: number;
  driftedCount: number;
  evaluatedCount: number;
  features: FeatureDrift[];
  slices?: {
    key: string;
    values: {
      value: string | null;
      observations: number;
      datasetDrift: boolean;
      driftedCount: number;
      features: FeatureDrift[];
    }[];
  };
  notes: string[];
}

interface SeriesPoint {
  start: number;
  statistic: number | null;
  pValue: number | null;
  drifted: boolean;
  missingRate: number | null;
}

export interface DriftSeries {
  step: number;
  start: number;
  features: { name: string; method: string; threshold: number | null; points: (SeriesPoint | null)[] }[];
}

interface PerformancePoint {
  start: number;
  count: number;
  classification: { count: number; correct: number; accuracy: number } | null;
  regression: { count: number; mae: number; rmse: number } | null;
  labelDrift: { labels?: { method: string; pValue?: number; drifted: boolean } } | null;
}

export interface Performance {
  series: { version: string; slice?: string | null; total: PerformancePoint; points: PerformancePoint[] }[];
}

export interface Alert {
  id: string;
  rule: string;
  severity: string;
  state: string;
  value: number | null;
  activeAt: string;
  firedAt: string | null;
  resolvedAt: string | null;
  cause: {
    metric: string;
    model?: string;
    version?: string;
    feature?: string;
    summary: string;
    exemplarRequestIds?: string[];
    exemplarTraceIds?: string[];
  };
}

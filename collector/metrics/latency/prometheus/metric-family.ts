/**
 * Metrics as data, so one renderer writes both Prometheus text 0.0.4 and OpenMetrics 1.0 and does
 * all escaping in one place. Any part of the collector can expose metrics by returning these from
 * a source registered with MetricRegistry.
 */

export type Labels = Readonly<Record<string, string>>;

/** A sample to open: OpenMetrics writes it after the value as `# {trace_id="…",span_id="…"} value timestamp`. */
export interface MetricExemplar {
  /** Label names and values together must stay within 128 characters (OpenMetrics). */
  labels: Labels;
  value: number;
  /** Seconds since the epoch. */
  timestampSeconds?: number;
}

export interface ScalarSample {
  labels: Labels;
  value: number;
  exemplar?: MetricExemplar;
}

export interface HistogramSample {
  labels: Labels;
  /** Cumulative counts by upper bound, ascending; the `+Inf` bucket is added from `count`. */
  buckets: { le: number; count: number; exemplar?: MetricExemplar }[];
  /** Exemplar of the `+Inf` bucket (requests above the last bound). */
  infExemplar?: MetricExemplar;
  sum: number;
  count: number;
}

interface FamilyBase {
  /**
   * snake_case name. For counters, give it with or without `_total`: the renderer writes the
   * family as OpenMetrics wants it and the samples as `<name>_total`.
   */
  name: string;
  help: string;
  /** e.g. `seconds`; when set, the name must end with `_<unit>` (OpenMetrics). */
  unit?: string;
}

export type MetricFamily =
  | (FamilyBase & { type: 'counter'; samples: ScalarSample[] })
  | (FamilyBase & { type: 'gauge'; samples: ScalarSample[] })
  | (FamilyBase & { type: 'histogram'; samples: HistogramSample[] });

import { api } from '../api';
import { Chart, COLORS } from '../components/Chart';
import { Empty, Failure, Loading } from '../components/Empty';
import { num, RANGES, stepFor } from '../format';
import { useData } from '../use-data';
import type { UrlState } from '../url-state';
import { ModelForm } from './ModelForm';
import { RangePicker } from './RangePicker';

/**
 * Relationships: per (input, output) pair, its value over time (Pearson's r, or mutual information)
 * from GET /api/relationships with step=, flagged pairs first; and the accuracy estimated from the
 * predicted probabilities beside the realised one (GET /api/models/{model}/estimated-performance).
 */
interface Pair {
  input: string;
  output: string;
  measure: 'pearson_r' | 'mutual_information';
  reference: { value: number | null };
  current: { value: number | null };
  change: number | null;
  test: { pValue: number | null };
  flagged: boolean;
  series?: { start: number; value: number | null }[];
}
interface Relationships {
  pairs: Pair[];
}
interface Estimate {
  accuracy: number | null;
  low: number | null;
  high: number | null;
}
interface Step {
  start: number;
  estimated: Estimate;
  labelled: { count: number; realised: number | null };
  conceptDrift: boolean;
}
interface EstimatedPerformance {
  series: Step[];
  calibration: { ece: number | null; trustworthy: boolean | null; labelled: number };
}

export function RelationshipsPage(props: { state: UrlState }) {
  const s = props.state;
  const range = s.range ?? '24h';
  return (
    <section>
      <h1>Relationships</h1>
      <ModelForm state={s}>
        <RangePicker state={s} fallback="24h" />
      </ModelForm>
      {s.model === undefined ? (
        <Empty>Pick a model: its input–output pairs over time, and its accuracy estimated before labels.</Empty>
      ) : (
        <Views model={s.model} range={range} />
      )}
    </section>
  );
}

function Views(props: { model: string; range: string }) {
  const step = stepFor(props.range);
  const xRange: [number, number] = [Date.now() - (RANGES[props.range] ?? 86_400_000), Date.now()];
  return (
    <div class="charts">
      <EstimateChart model={props.model} range={props.range} step={step} xRange={xRange} />
      <PairCharts model={props.model} range={props.range} step={step} xRange={xRange} />
    </div>
  );
}

function EstimateChart(props: { model: string; range: string; step: string; xRange: [number, number] }) {
  const { data, error, loading } = useData(
    () =>
      api<EstimatedPerformance>(`/api/models/${encodeURIComponent(props.model)}/estimated-performance`, {
        window: props.range,
        step: props.step,
      }),
    [props.model, props.range, props.step],
  );
  if (loading) return <Loading />;
  if (error !== undefined) return <Failure error={error} />;
  if (data === undefined) return null;
  const x = data.series.map((p) => p.start);
  const cal = data.calibration;
  return (
    <div>
      <Chart
        title="Accuracy: estimated from probabilities (with its 95 % interval) and realised from labels"
        testId="estimate-chart"
        x={x}
        xRange={props.xRange}
        yRange={[0, 1]}
        series={[
          { label: 'estimated', values: data.series.map((p) => p.estimated.accuracy), color: COLORS[0]! },
          { label: 'low', values: data.series.map((p) => p.estimated.low), color: COLORS[6]! },
          { label: 'high', values: data.series.map((p) => p.estimated.high), color: COLORS[6]! },
          { label: 'realised', values: data.series.map((p) => p.labelled.realised), color: COLORS[1]! },
        ]}
      />
      <p>
        Concept drift in {data.series.filter((p) => p.conceptDrift).length} of {data.series.length} steps. Calibration
        on the reference:{' '}
        {cal.trustworthy === null
          ? `not enough labels (${cal.labelled})`
          : `ECE ${num(cal.ece)} — ${cal.trustworthy ? 'the estimate can be trusted' : 'not calibrated, the estimate is biased'}`}
        .
      </p>
    </div>
  );
}

function PairCharts(props: { model: string; range: string; step: string; xRange: [number, number] }) {
  const { data, error, loading } = useData(
    () =>
      api<Relationships>('/api/relationships', {
        model: props.model,
        window: props.range,
        step: props.step,
        exemplars: 0,
      }),
    [props.model, props.range, props.step],
  );
  if (loading) return <Loading />;
  if (error !== undefined) return <Failure error={error} />;
  if (data === undefined || data.pairs.length === 0) return <Empty>No captured input–output pairs in the range.</Empty>;
  const pairs = [...data.pairs].sort((a, b) => Number(b.flagged) - Number(a.flagged));
  return (
    <>
      {pairs.map((p, i) => (
        <Chart
          key={`${p.input}|${p.output}`}
          title={`${p.input} → ${p.output}: ${p.measure === 'pearson_r' ? "Pearson's r" : 'mutual information (nats)'} — ${p.flagged ? 'CHANGED' : 'stable'} (reference ${num(p.reference.value)}, now ${num(p.current.value)}, p ${num(p.test.pValue)})`}
          x={(p.series ?? []).map((q) => q.start)}
          xRange={props.xRange}
          {...(p.measure === 'pearson_r' ? { yRange: [-1, 1] as [number, number] } : {})}
          series={[
            {
              label: p.measure === 'pearson_r' ? 'r' : 'MI',
              values: (p.series ?? []).map((q) => q.value),
              color: COLORS[i % COLORS.length]!,
            },
          ]}
        />
      ))}
    </>
  );
}

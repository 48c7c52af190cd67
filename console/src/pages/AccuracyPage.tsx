import { api } from '../api';
import { Chart, COLORS } from '../components/Chart';
import { Empty, Failure, Loading } from '../components/Empty';
import { num, RANGES, stepFor } from '../format';
import type { Performance } from '../types';
import { useData } from '../use-data';
import { navigate, type UrlState } from '../url-state';
import { ModelForm } from './ModelForm';
import { RangePicker } from './RangePicker';

/** Page 4: accuracy (or MAE/RMSE) over time per version and slice, from joined feedback, and label drift. */
export function AccuracyPage(props: { state: UrlState }) {
  const s = props.state;
  const range = s.range ?? '24h';
  const form = (
    <ModelForm state={s}>
      <label>
        Slice{' '}
        <input
          name="slice"
          value={s.slice ?? ''}
          placeholder="e.g. ml.input.region"
          onChange={(e) => navigate({ ...s, slice: (e.target as HTMLInputElement).value })}
        />
      </label>
      <RangePicker state={s} fallback="24h" />
    </ModelForm>
  );
  return (
    <section>
      <h1>Accuracy</h1>
      {form}
      {s.model === undefined ? (
        <Empty>Pick a model. Accuracy needs ground truth: POST labels to /api/feedback with the request ids.</Empty>
      ) : (
        <AccuracyView model={s.model} range={range} slice={s.slice} />
      )}
    </section>
  );
}

function AccuracyView(props: { model: string; range: string; slice: string | undefined }) {
  const window = props.range;
  const step = stepFor(props.range);
  const { data, error, loading } = useData(
    () =>
      api<Performance>(`/api/models/${encodeURIComponent(props.model)}/performance`, {
        window,
        step,
        slice: props.slice,
      }),
    [props.model, window, step, props.slice],
  );
  if (loading) return <Loading />;
  if (error !== undefined) return <Failure error={error} />;
  if (data === undefined || data.series.length === 0)
    return <Empty>No feedback joined for this model in the range — send labels to POST /api/feedback.</Empty>;
  const times = [...new Set(data.series.flatMap((s) => s.points.map((p) => p.start)))].sort((a, b) => a - b);
  const label = (s: Performance['series'][number]) =>
    `v${s.version}${s.slice === undefined || s.slice === null ? '' : ` ${s.slice}`}`;
  const pick = (
    s: Performance['series'][number],
    f: (p: Performance['series'][number]['points'][number]) => number | null | undefined,
  ) => times.map((t) => f(s.points.find((p) => p.start === t) ?? ({} as never)) ?? null);
  const classification = data.series.some((s) => s.total.classification !== null);
  const xRange: [number, number] = [Date.now() - (RANGES[props.range] ?? 86_400_000), Date.now()];
  return (
    <div class="charts">
      {classification ? (
        <Chart
          title="Accuracy"
          testId="accuracy-chart"
          x={times}
          xRange={xRange}
          yRange={[0, 1]}
          series={data.series.map((s, i) => ({
            label: label(s),
            values: pick(s, (p) => p.classification?.accuracy),
            color: COLORS[i % COLORS.length]!,
          }))}
        />
      ) : (
        <>
          <Chart
            title="MAE"
            x={times}
            xRange={xRange}
            series={data.series.map((s, i) => ({
              label: label(s),
              values: pick(s, (p) => p.regression?.mae),
              color: COLORS[i % COLORS.length]!,
            }))}
          />
          <Chart
            title="RMSE"
            x={times}
            xRange={xRange}
            series={data.series.map((s, i) => ({
              label: label(s),
              values: pick(s, (p) => p.regression?.rmse),
              color: COLORS[i % COLORS.length]!,
            }))}
          />
        </>
      )}
      <Chart
        title="Label drift p-value (against the first labelled step)"
        x={times}
        xRange={xRange}
        yRange={[0, 1]}
        series={data.series.map((s, i) => ({
          label: label(s),
          values: pick(s, (p) => p.labelDrift?.labels?.pValue),
          color: COLORS[i % COLORS.length]!,
        }))}
        thresholds={[{ label: 'threshold', value: 0.05 }]}
        format={(v) => num(v)}
      />
    </div>
  );
}

import { api, apiOrNull } from '../api';
import { Chart, COLORS } from '../components/Chart';
import { Empty, Failure, Loading } from '../components/Empty';
import { ms, num, pct, RANGES, stepFor } from '../format';
import type { Alert, DriftAnswer, LatencySeries, Performance } from '../types';
import { useData } from '../use-data';
import { href, onLink, type UrlState } from '../url-state';
import { RangePicker } from './RangePicker';

/** Page 2: every model and version seen — traffic, errors, latency, drift, accuracy, alerts. */
interface ModelView {
  model: string;
  series: LatencySeries[];
}

async function loadModels(range: string, only: string | undefined): Promise<ModelView[]> {
  const answer = await api<{ series: LatencySeries[] }>('/api/metrics/latency', {
    start: Date.now() - (RANGES[range] ?? 3_600_000),
    step: stepFor(range),
  });
  const byModel = new Map<string, LatencySeries[]>();
  for (const s of answer.series) {
    if (s.model === null || s.model === '' || (only !== undefined && s.model !== only)) continue;
    byModel.set(s.model, [...(byModel.get(s.model) ?? []), s]);
  }
  return [...byModel.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([model, series]) => ({ model, series }));
}

export function ModelsPage(props: { state: UrlState }) {
  const range = props.state.range ?? '1h';
  const only = props.state.model;
  const { data, error, loading } = useData(() => loadModels(range, only), [range, only]);
  return (
    <section>
      <h1>{only === undefined ? 'Models' : `Model ${only}`}</h1>
      <RangePicker state={props.state} />
      {loading && <Loading />}
      {error !== undefined && <Failure error={error} />}
      {data !== undefined && data.length === 0 && (
        <Empty>No model traffic in this range — send requests through the sidecar, or widen the range.</Empty>
      )}
      {data?.map((m) => (
        <ModelCard model={m} range={range} />
      ))}
    </section>
  );
}

function ModelCard(props: { model: ModelView; range: string }) {
  const { model, series } = props.model;
  const status = useData(
    () =>
      Promise.all([
        apiOrNull<DriftAnswer>('/api/drift', { model, window: props.range, exemplars: 0 }).catch(() => null),
        apiOrNull<Performance>(`/api/models/${encodeURIComponent(model)}/performance`, { window: props.range }).catch(
          () => null,
        ),
        api<{ alerts: Alert[] }>('/api/alerts', { state: 'firing' }).catch(() => ({ alerts: [] as Alert[] })),
      ]),
    [model, props.range],
  );
  const [drift, perf, alerts] = status.data ?? [null, null, { alerts: [] }];
  const firing = alerts.alerts.filter((a) => a.cause.model === model);
  const accuracy = perf?.series.map((s) => s.total.classification?.accuracy).find((a) => a !== undefined && a !== null);
  const times = [...new Set(series.flatMap((s) => s.points.map((p) => p.start)))].sort((a, b) => a - b);
  const at = (s: LatencySeries, pick: (p: LatencySeries['points'][number]) => number) =>
    times.map((t) => {
      const p = s.points.find((q) => q.start === t);
      return p === undefined ? null : pick(p);
    });
  const xRange: [number, number] = [Date.now() - (RANGES[props.range] ?? 3_600_000), Date.now()];
  const manyOperations = new Set(series.map((s) => s.operation)).size > 1;
  const label = (s: LatencySeries) => `v${s.version ?? '?'}${manyOperations ? ` ${s.operation}` : ''}`;
  const driftState = { view: 'drift', model, range: props.range };
  return (
    <article class="card" data-testid={`model-${model}`}>
      <h2>
        <a
          href={href({ view: 'model', model, range: props.range })}
          onClick={onLink({ view: 'model', model, range: props.range })}
        >
          {model}
        </a>
      </h2>
      <table class="summary">
        <thead>
          <tr>
            <th>version</th>
            <th>operation</th>
            <th>requests</th>
            <th>error rate</th>
            <th>p50</th>
            <th>p95</th>
            <th>p99</th>
          </tr>
        </thead>
        <tbody>
          {series.map((s) => (
            <tr>
              <td>{s.version ?? '–'}</td>
              <td>{s.operation}</td>
              <td>{s.total.count}</td>
              <td>{pct(s.total.errorRate)}</td>
              <td>{ms(s.total.p50)}</td>
              <td>{ms(s.total.p95)}</td>
              <td>{ms(s.total.p99)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <dl class="facts">
        <dt>drift</dt>
        <dd data-testid="drift-status">
          {drift === null ? (
            'no captured inputs in this range'
          ) : (
            <a href={href(driftState)} onClick={onLink(driftState)}>
              {drift.evaluatedCount === 0
                ? 'not evaluated: the reference holds no observations (upload a training profile, or look at a longer range)'
                : `${drift.datasetDrift ? 'dataset drift' : 'no dataset drift'}: ${drift.driftedCount} of ${drift.evaluatedCount} features (${pct(drift.driftedShare)})`}
            </a>
          )}
        </dd>
        <dt>accuracy</dt>
        <dd>
          {accuracy === undefined ? (
            'no feedback joined yet'
          ) : (
            <a
              href={href({ view: 'accuracy', model, range: props.range })}
              onClick={onLink({ view: 'accuracy', model, range: props.range })}
            >
              {num(accuracy)}
            </a>
          )}
        </dd>
        <dt>firing alerts</dt>
        <dd>
          {firing.length === 0
            ? 'none'
            : firing.map((a) => (
                <a class="alert-link" href={href({ view: 'alerts' })} onClick={onLink({ view: 'alerts' })}>
                  {a.rule}
                </a>
              ))}
        </dd>
      </dl>
      <div class="charts">
        <Chart
          xRange={xRange}
          title="Requests per step"
          x={times}
          series={series.map((s, i) => ({
            label: label(s),
            values: at(s, (p) => p.count),
            color: COLORS[i % COLORS.length]!,
          }))}
          format={(v) => num(v, 0)}
        />
        <Chart
          xRange={xRange}
          title="Error rate"
          x={times}
          series={series.map((s, i) => ({
            label: label(s),
            values: at(s, (p) => p.errorRate),
            color: COLORS[i % COLORS.length]!,
          }))}
          format={pct}
        />
        <Chart
          xRange={xRange}
          title="Latency p50 / p95 / p99"
          x={times}
          format={ms}
          series={series.flatMap((s, i) =>
            (['p50', 'p95', 'p99'] as const).map((q, j) => ({
              label: `${label(s)} ${q}`,
              values: at(s, (p) => p[q]),
              color: COLORS[(i * 3 + j) % COLORS.length]!,
            })),
          )}
        />
      </div>
    </article>
  );
}

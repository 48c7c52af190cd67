import { api } from '../api';
import { Chart, COLORS } from '../components/Chart';
import { Empty, Failure, Loading } from '../components/Empty';
import { localTime, num, pct, RANGES, sparkStepFor, stepFor, utcTime } from '../format';
import type { DriftAnswer, DriftSeries, FeatureDrift, MovedBin } from '../types';
import { useData } from '../use-data';
import { href, navigate, onLink, type UrlState } from '../url-state';
import { ModelForm } from './ModelForm';
import { RangePicker } from './RangePicker';

/**
 * Page 3: a model's drift. The window is `range` ending now, or `start`/`end` (deep links from a
 * request); the reference, slice and selected feature are in the URL too.
 */
function windowOf(state: UrlState): { start: number; end: number } {
  if (state.start !== undefined && state.end !== undefined)
    return { start: Number(state.start), end: Number(state.end) };
  const end = Date.now();
  return { start: end - (RANGES[state.range ?? '1h'] ?? 3_600_000), end };
}

/** Drifted first, then the strongest evidence (smallest p-value, largest distance). */
function byDrift(a: FeatureDrift, b: FeatureDrift): number {
  if (a.drifted !== b.drifted) return a.drifted ? -1 : 1;
  if (a.pValue !== null && b.pValue !== null) return a.pValue - b.pValue;
  return (b.statistic ?? 0) - (a.statistic ?? 0);
}

export function DriftPage(props: { state: UrlState }) {
  const s = props.state;
  const model = s.model ?? '';
  if (model === '') return <ModelPrompt state={s} />;
  const range = s.range ?? '1h';
  const { start, end } = windowOf(s);
  const step = s.step ?? stepFor(range);
  const sparkStep = s.step ?? sparkStepFor(range);
  const query = { model, version: s.version, start, end, reference: s.reference, slice: s.slice };
  const report = useData(() => api<DriftAnswer>('/api/drift', { ...query, exemplars: 5 }), [JSON.stringify(query)]);
  // Every feature at a coarse step for the sparklines; the selected feature alone at the fine step.
  const series = useData(
    () =>
      api<DriftSeries>('/api/drift/series', {
        model,
        version: s.version,
        start,
        end,
        step: sparkStep,
        reference: s.reference,
      }),
    [model, s.version, start, end, sparkStep, s.reference],
  );
  const detail = useData(
    () =>
      s.feature === undefined
        ? Promise.resolve(undefined)
        : api<DriftSeries>('/api/drift/series', {
            model,
            version: s.version,
            start,
            end,
            step,
            reference: s.reference,
            feature: s.feature,
          }),
    [model, s.version, start, end, step, s.reference, s.feature],
  );
  return (
    <section>
      <h1>Drift of {model}</h1>
      <div class="pickers">
        <RangePicker state={{ ...s, start: '', end: '' }} />
        <ReferencePicker state={s} />
        <label class="picker">
          Slice{' '}
          <select
            name="slice"
            value={s.slice ?? ''}
            onChange={(e) => navigate({ ...s, slice: (e.target as HTMLSelectElement).value })}
          >
            <option value="">none</option>
            <option value="ml.model.version">model version</option>
            <option value="service.name">service</option>
          </select>
        </label>
        {s.start !== undefined && (
          <span class="window" title={`${utcTime(start)} – ${utcTime(end)}`}>
            window {localTime(start)} – {localTime(end)}
          </span>
        )}
      </div>
      {report.loading && <Loading />}
      {report.error !== undefined && <NoData error={report.error} />}
      {report.data !== undefined && (
        <>
          <p class="verdict" data-testid="dataset-drift">
            {report.data.datasetDrift ? 'Dataset drift' : 'No dataset drift'}: {report.data.driftedCount} of{' '}
            {report.data.evaluatedCount} features drifted ({pct(report.data.driftedShare)}), against the{' '}
            {report.data.reference.kind} reference.
          </p>
          {report.data.notes.map((n) => (
            <p class="note">{n}</p>
          ))}
          <FeatureTable report={report.data} series={series.data} state={s} />
          {report.data.slices !== undefined && <SliceTable report={report.data} />}
          {s.feature !== undefined && (
            <FeatureDetail
              feature={report.data.features.find((f) => f.name === s.feature)}
              series={detail.data}
              state={s}
              query={query}
            />
          )}
        </>
      )}
    </section>
  );
}

function ModelPrompt(props: { state: UrlState }) {
  return (
    <section>
      <h1>Drift</h1>
      <ModelForm state={{ ...props.state, view: 'drift' }} submit="Show drift" />
      <Empty>Pick a model from the Models page, or type its name (ml.model.name).</Empty>
    </section>
  );
}

function NoData(props: { error: unknown }) {
  const code = (props.error as { code?: string }).code;
  if (code === 'no_observations') {
    return (
      <Empty>
        No captured inputs or outputs of this model in the window — is capture on in the sidecar (INFERTRACE_CAPTURE)?
        Try a wider range.
      </Empty>
    );
  }
  return <Failure error={props.error} />;
}

function ReferencePicker(props: { state: UrlState }) {
  const s = props.state;
  const value = s.reference ?? '';
  const custom = value.startsWith('window:') || value.startsWith('slice:');
  return (
    <label class="picker">
      Reference{' '}
      <select
        name="reference"
        value={custom ? 'custom' : value}
        onChange={(e) => {
          const v = (e.target as HTMLSelectElement).value;
          if (v !== 'custom') navigate({ ...s, reference: v });
        }}
      >
        <option value="">stored (else previous window)</option>
        <option value="previous">previous window</option>
        <option value="training">training profile</option>
        {custom && <option value="custom">{value}</option>}
      </select>
      {s.slice === 'ml.model.version' && (
        <input
          name="stable"
          placeholder="stable version"
          size={10}
          onChange={(e) => navigate({ ...s, reference: `slice:${(e.target as HTMLInputElement).value}` })}
        />
      )}
    </label>
  );
}

function statisticSeries(series: DriftSeries | undefined, name: string) {
  const f = series?.features.find((x) => x.name === name);
  if (series === undefined || f === undefined) return undefined;
  const x = f.points.map((_, i) => series.start + i * series.step);
  const usesP = f.points.some((p) => p?.pValue !== null && p?.pValue !== undefined);
  const values = f.points.map((p) => (p === null ? null : usesP ? p.pValue : p.statistic));
  return {
    x,
    values,
    usesP,
    threshold: f.threshold,
    missing: f.points.map((p) => p?.missingRate ?? null),
    method: f.method,
  };
}

function FeatureTable(props: { report: DriftAnswer; series: DriftSeries | undefined; state: UrlState }) {
  const features = [...props.report.features].sort(byDrift);
  if (features.length === 0) return <Empty>No features were captured for this model.</Empty>;
  return (
    <table class="features" data-testid="feature-table">
      <thead>
        <tr>
          <th>feature</th>
          <th>drifted</th>
          <th>method</th>
          <th>statistic</th>
          <th>p-value</th>
          <th>threshold</th>
          <th>flags</th>
          <th>over time</th>
        </tr>
      </thead>
      <tbody>
        {features.map((f) => {
          const st = statisticSeries(props.series, f.name);
          const target = { ...props.state, feature: f.name };
          return (
            <tr class={f.drifted ? 'drifted' : ''} data-feature={f.name} data-drifted={String(f.drifted)}>
              <td>
                <a href={href(target)} onClick={onLink(target)}>
                  {f.name}
                </a>
              </td>
              <td>{f.drifted ? 'yes' : 'no'}</td>
              <td>{f.method}</td>
              <td>{num(f.statistic)}</td>
              <td>{num(f.pValue)}</td>
              <td>{num(f.threshold)}</td>
              <td>{f.flags.map((x) => x.kind).join(', ')}</td>
              <td class="spark">
                {st !== undefined && (
                  <Chart
                    title={f.name}
                    sparkline
                    x={st.x}
                    series={[{ label: f.method, values: st.values, color: f.drifted ? '#dc2626' : '#2563eb' }]}
                  />
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function SliceTable(props: { report: DriftAnswer }) {
  const slices = props.report.slices!;
  return (
    <div>
      <h2>Slices by {slices.key}</h2>
      <table class="slices" data-testid="slice-table">
        <thead>
          <tr>
            <th>{slices.key}</th>
            <th>observations</th>
            <th>dataset drift</th>
            <th>drifted features</th>
          </tr>
        </thead>
        <tbody>
          {slices.values.map((v) => (
            <tr>
              <td>{v.value ?? '(none)'}</td>
              <td>{v.observations}</td>
              <td>{v.datasetDrift ? 'yes' : 'no'}</td>
              <td>
                {v.features
                  .filter((f) => f.drifted)
                  .map((f) => f.name)
                  .join(', ') || '–'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function binLabel(b: MovedBin): string {
  if (b.kind === 'category') return b.category ?? '';
  const lo = b.lower === null || b.lower === undefined ? '−∞' : num(b.lower);
  const hi = b.upper === null || b.upper === undefined ? '+∞' : num(b.upper);
  return `${lo}…${hi}`;
}

function binOrder(a: MovedBin, b: MovedBin): number {
  if (a.kind === 'category' || b.kind === 'category')
    return b.referenceShare + b.currentShare - (a.referenceShare + a.currentShare);
  return (a.lower ?? -Infinity) - (b.lower ?? -Infinity);
}

function FeatureDetail(props: {
  feature: FeatureDrift | undefined;
  series: DriftSeries | undefined;
  state: UrlState;
  query: { start: number; end: number } & Record<string, unknown>;
}) {
  const name = props.state.feature!;
  const bins = useData(
    () => api<DriftAnswer>('/api/drift', { ...(props.query as Record<string, string>), exemplars: 0, bins: 100 }),
    [JSON.stringify(props.query)],
  );
  if (props.feature === undefined) return <Empty>Feature {name} was not observed in this window.</Empty>;
  const f = props.feature;
  const st = statisticSeries(props.series, name);
  const all =
    bins.data?.features
      .find((x) => x.name === name)
      ?.topMovedBins.slice()
      .sort(binOrder) ?? [];
  const shown = f.type === 'categorical' ? all.slice(0, 30) : all;
  return (
    <div class="detail" data-testid="feature-detail">
      <h2>{name}</h2>
      <p>
        {f.method} {num(f.statistic)}
        {f.pValue !== null && `, p = ${num(f.pValue)}`} against threshold {num(f.threshold)}:{' '}
        {f.drifted ? 'drifted' : 'not drifted'}. Missing rate {pct(f.reference.missingRate)} →{' '}
        {pct(f.current.missingRate)}.
      </p>
      <div class="charts">
        <Chart
          title="Distribution: reference vs current (share per bin)"
          testId="distribution-chart"
          categories={shown.map(binLabel)}
          series={[
            { label: 'reference', values: shown.map((b) => b.referenceShare), color: COLORS[0]! },
            { label: 'current', values: shown.map((b) => b.currentShare), color: COLORS[1]! },
          ]}
          format={pct}
        />
        {st !== undefined && (
          <Chart
            title={`${st.usesP ? `${st.method} p-value` : st.method} over time`}
            testId="statistic-chart"
            x={st.x}
            xRange={[props.query.start, props.query.end]}
            series={[{ label: st.usesP ? 'p-value' : 'statistic', values: st.values, color: COLORS[1]! }]}
            thresholds={st.threshold === null ? [] : [{ label: 'threshold', value: st.threshold }]}
          />
        )}
        {st !== undefined && (
          <Chart
            title="Missing rate over time"
            testId="missing-chart"
            x={st.x}
            xRange={[props.query.start, props.query.end]}
            series={[{ label: 'missing rate', values: st.missing, color: COLORS[3]! }]}
            format={pct}
          />
        )}
      </div>
      <h3>Moved bins</h3>
      <table class="bins">
        <thead>
          <tr>
            <th>bin</th>
            <th>reference</th>
            <th>current</th>
            <th>change</th>
          </tr>
        </thead>
        <tbody>
          {f.topMovedBins.map((b) => (
            <tr>
              <td>{binLabel(b)}</td>
              <td>{pct(b.referenceShare)}</td>
              <td>{pct(b.currentShare)}</td>
              <td>{pct(b.delta)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Exemplar requests</h3>
      {f.exemplars.length === 0 ? (
        <p class="empty">Exemplars are given for drifted features.</p>
      ) : (
        <ul class="exemplars" data-testid="exemplars">
          {f.exemplars.map((e) => (
            <li>
              <a
                href={href({ view: 'request', id: e.requestId })}
                onClick={onLink({ view: 'request', id: e.requestId })}
              >
                {e.requestId}
              </a>{' '}
              value {String(e.value)} at <span title={e.time}>{localTime(Date.parse(e.time))}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

import { useState } from 'preact/hooks';
import { api, apiUrl } from '../api';
import { Empty, Failure, Loading } from '../components/Empty';
import { Waterfall } from '../components/Waterfall';
import { localTime, ms, utcTime } from '../format';
import type { AttributeValue, Trace, TraceSpan } from '../types';
import { useData } from '../use-data';
import { href, navigate, onLink, type UrlState } from '../url-state';

/** Page 1: find a request (request id or trace id), see its waterfall and the captured call. */
const TRACE_ID = /^([0-9a-f]{16}|[0-9a-f]{32})$/i;

async function findTrace(id: string): Promise<Trace> {
  if (TRACE_ID.test(id)) {
    try {
      return await api<Trace>(`/api/traces/${encodeURIComponent(id)}`);
    } catch (err) {
      // Not a stored trace id: it may still be a request id that looks like hex.
      if (!(err instanceof Error) || !('status' in err) || (err as { status: number }).status !== 404) throw err;
    }
  }
  const found = await api<{ traces: Trace[] }>(`/api/requests/${encodeURIComponent(id)}`);
  return found.traces[0]!;
}

export function RequestPage(props: { state: UrlState }) {
  const id = props.state.id ?? '';
  const [text, setText] = useState(id);
  return (
    <section>
      <h1>Find a request</h1>
      <form
        class="search"
        onSubmit={(e) => {
          e.preventDefault();
          navigate({ view: 'request', id: text.trim() });
        }}
      >
        <label>
          Request id or trace id{' '}
          <input
            name="id"
            value={text}
            onInput={(e) => setText((e.target as HTMLInputElement).value)}
            placeholder="x-request-id, or 32 hex digits"
            size={44}
          />
        </label>
        <button type="submit">Open</button>
      </form>
      {id === '' ? (
        <Empty>Type the x-request-id your client sent (the sidecar echoes it on every answer), or a trace id.</Empty>
      ) : (
        <RequestView id={id} />
      )}
    </section>
  );
}

function RequestView(props: { id: string }) {
  const { data: trace, error, loading } = useData(() => findTrace(props.id), [props.id]);
  if (loading) return <Loading />;
  if (error !== undefined) return <Failure error={error} />;
  if (trace === undefined) return null;
  const server =
    trace.spans.find((s) => s.kind === 'SERVER' && Object.keys(s.attributes).some((k) => k.startsWith('ml.'))) ??
    trace.spans[0];
  return (
    <div>
      <dl class="facts">
        <dt>trace</dt>
        <dd data-testid="trace-id">{trace.traceId}</dd>
        <dt>started</dt>
        <dd title={utcTime(trace.startTimeMicros / 1000)}>{localTime(trace.startTimeMicros / 1000)}</dd>
        <dt>duration</dt>
        <dd>{ms(trace.durationMicros / 1000)}</dd>
        <dt>spans</dt>
        <dd>
          {trace.spanCount} ({trace.errorCount} errors)
        </dd>
        <dt>download</dt>
        <dd>
          {(['jaeger', 'zipkin', 'otlp'] as const).map((f) => (
            <a
              class="download"
              href={apiUrl(`/api/traces/${trace.traceId}`, { format: f })}
              download={`${trace.traceId}.${f}.json`}
            >
              {f}
            </a>
          ))}
        </dd>
      </dl>
      {trace.warnings.length > 0 && (
        <ul class="warnings" aria-label="adjuster warnings">
          {trace.warnings.map((w) => (
            <li>{w}</li>
          ))}
        </ul>
      )}
      <h2>Call tree</h2>
      <Waterfall trace={trace} />
      {server !== undefined && <CapturedCall span={server} startMs={trace.startTimeMicros / 1000} />}
    </div>
  );
}

function rowsOf(value: AttributeValue | undefined, batch: number): AttributeValue[] {
  if (batch > 1 && Array.isArray(value)) return value;
  return [value ?? null];
}

function show(v: AttributeValue | undefined): string {
  if (v === undefined || v === null) return '–';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function CapturedCall(props: { span: TraceSpan; startMs: number }) {
  const a = props.span.attributes;
  const inputs = Object.keys(a)
    .filter((k) => k.startsWith('ml.input.'))
    .sort();
  const outputs = Object.keys(a)
    .filter((k) => k.startsWith('ml.output.'))
    .sort();
  const model = a['ml.model.name'];
  const batch = typeof a['ml.batch.size'] === 'number' ? (a['ml.batch.size'] as number) : 1;
  const redacted = a['ml.privacy.redacted'];
  const columns = [...inputs, ...outputs];
  const values = columns.map((k) => rowsOf(a[k], batch));
  const rows = Math.max(1, ...values.map((v) => v.length));
  const window = {
    start: String(Math.floor(props.startMs - 1_800_000)),
    end: String(Math.ceil(props.startMs + 1_800_000)),
  };
  return (
    <div>
      <h2>Captured call</h2>
      <dl class="facts">
        <dt>request id</dt>
        <dd>{show(a['ml.request.id'])}</dd>
        <dt>model</dt>
        <dd data-testid="model">
          {model === undefined ? (
            '–'
          ) : (
            <a
              href={href({ view: 'model', model: String(model) })}
              onClick={onLink({ view: 'model', model: String(model) })}
            >
              {show(model)}
            </a>
          )}{' '}
          version {show(a['ml.model.version'])}
        </dd>
        <dt>protocol</dt>
        <dd>{show(a['ml.protocol'])}</dd>
        <dt>capture</dt>
        <dd>
          {show(a['ml.capture'])}
          {a['ml.capture.reason'] !== undefined && ` (${show(a['ml.capture.reason'])})`}
        </dd>
        <dt>redacted by privacy rules</dt>
        <dd data-testid="redacted">{redacted === undefined ? 'nothing' : show(redacted)}</dd>
      </dl>
      {columns.length === 0 ? (
        <p class="empty">
          No captured inputs or outputs on this request — is capture on in the sidecar (INFERTRACE_CAPTURE)?
        </p>
      ) : (
        <table class="captured" data-testid="captured">
          <thead>
            <tr>
              <th>row</th>
              {columns.map((c) => {
                const feature = c.slice(3);
                const state = { view: 'drift', model: String(model ?? ''), feature, ...window };
                return (
                  <th class={c.startsWith('ml.output.') ? 'output' : 'input'}>
                    {model === undefined ? (
                      feature
                    ) : (
                      <a href={href(state)} onClick={onLink(state)} title="this feature's drift around this request">
                        {feature}
                      </a>
                    )}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {Array.from({ length: rows }, (_, r) => (
              <tr>
                <td>{r}</td>
                {values.map((v) => (
                  <td>{show(v[r])}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

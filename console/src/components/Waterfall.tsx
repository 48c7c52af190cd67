import { useEffect } from 'preact/hooks';
import type { Trace } from '../types';
import { ms } from '../format';

/** The call tree as rows of bars on one time axis, spans in tree order, as Jaeger draws it. */
export function Waterfall(props: { trace: Trace }) {
  // "Navigation to waterfall drawn", as bench/console.ts reads it (ms since navigation start).
  useEffect(() => void performance.mark('infertrace:waterfall'), [props.trace.traceId]);
  const total = Math.max(props.trace.durationMicros, 1);
  const services = props.trace.services;
  // Hues from blue on, so no service is drawn in the red that marks errors.
  const hue = (service: string) => (210 + services.indexOf(service) * 67) % 360;
  return (
    <div class="waterfall" data-testid="waterfall" role="table" aria-label="spans">
      {props.trace.spans.map((s) => {
        const left = (s.offsetMicros / total) * 100;
        const width = Math.max((s.durationMicros / total) * 100, 0.3);
        const error = s.status.code === 'ERROR';
        return (
          <div class={`span-row${error ? ' error' : ''}`} role="row" data-span-id={s.spanId}>
            <div class="span-label" role="cell" style={{ paddingLeft: `${s.depth * 14}px` }}>
              <span class="span-duration">{ms(s.durationMicros / 1000)}</span>
              <span class="service" style={{ borderColor: `hsl(${hue(s.serviceName)} 60% 45%)` }}>
                {s.serviceName}
              </span>{' '}
              <span class="kind">{s.kind.toLowerCase()}</span> <span class="operation">{s.name}</span>
              {s.warnings.length > 0 && (
                <span class="warning" title={s.warnings.join('\n')}>
                  ⚠ {s.warnings.length}
                </span>
              )}
            </div>
            <div class="span-track" role="cell">
              <div
                class="span-bar"
                style={{
                  left: `${left}%`,
                  width: `${width}%`,
                  background: error ? '#dc2626' : `hsl(${hue(s.serviceName)} 60% 45%)`,
                }}
                title={`${s.name}: ${ms(s.durationMicros / 1000)} from +${ms(s.offsetMicros / 1000)}`}
              />
            </div>
          </div>
        );
      })}
    </div>
  );
}

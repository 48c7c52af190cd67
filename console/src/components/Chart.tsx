import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { localTime, num, utcTime } from '../format';

/**
 * One chart (uPlot) with a table of the same numbers beneath it: the table is the accessible view,
 * and what tests read. Time charts take x in epoch milliseconds; category charts (bars) take labels.
 */
interface ChartSeries {
  label: string;
  values: (number | null)[];
  color: string;
}

export interface ChartProps {
  title: string;
  /** Epoch milliseconds (time charts) … */
  x?: number[];
  /** … or category labels (bar charts). */
  categories?: string[];
  series: ChartSeries[];
  /** The time range shown (epoch ms), so one point or a sparse series still sits in its range. */
  xRange?: [number, number];
  /** A fixed value scale, e.g. [0, 1] for accuracy; default: from zero to the largest value. */
  yRange?: [number, number];
  /** Horizontal lines, e.g. a drift threshold. */
  thresholds?: { label: string; value: number }[];
  height?: number;
  /** A small chart without axes or legend (table rows). */
  sparkline?: boolean;
  format?: (v: number | null) => string;
  testId?: string;
}

export const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#4b5563'];

export function Chart(props: ChartProps) {
  const el = useRef<HTMLDivElement>(null);
  const fmt = props.format ?? ((v: number | null) => num(v));
  const bars = props.categories !== undefined;
  const xs = bars ? props.categories!.map((_, i) => i) : (props.x ?? []).map((t) => t / 1000);

  useEffect(() => {
    const node = el.current;
    if (node === null || xs.length === 0) return;
    const thresholds = props.thresholds ?? [];
    const data: uPlot.AlignedData = [
      xs,
      ...props.series.map((s) => s.values),
      ...thresholds.map((t) => xs.map(() => t.value)),
    ];
    const barPaths = uPlot.paths.bars!({ size: [0.8 / Math.max(1, props.series.length), 40], align: 0 });
    const series: uPlot.Series[] = [
      {},
      ...props.series.map((s, i) => ({
        label: s.label,
        stroke: s.color,
        fill: bars ? `${s.color}66` : undefined,
        width: props.sparkline ? 1 : 2,
        spanGaps: false,
        points: { show: !bars && !props.sparkline && xs.length < 60 },
        ...(bars ? { paths: barPaths, points: { show: false } } : {}),
        value: (_u: uPlot, v: number | null) => fmt(v),
        ...(bars && props.series.length > 1
          ? { paths: uPlot.paths.bars!({ size: [0.4, 40], align: i === 0 ? -1 : 1 }) }
          : {}),
      })),
      ...thresholds.map((t) => ({
        label: t.label,
        stroke: '#6b7280',
        dash: [6, 4],
        width: 1,
        points: { show: false },
      })),
    ];
    const width = node.clientWidth || 600;
    // Bar labels need room: label every n-th bin so they never overlap.
    const labelEvery = Math.max(1, Math.ceil((xs.length * 70) / width));
    const opts: uPlot.Options = {
      width,
      height: props.height ?? (props.sparkline ? 36 : 220),
      series,
      legend: { show: !props.sparkline },
      cursor: { show: !props.sparkline },
      scales: {
        x: {
          time: !bars,
          ...(bars ? { range: [-0.5, xs.length - 0.5] as uPlot.Range.MinMax } : {}),
          ...(!bars && props.xRange !== undefined
            ? { range: [props.xRange[0] / 1000, props.xRange[1] / 1000] as uPlot.Range.MinMax }
            : {}),
        },
        // Zero-based, and never a flat zero-height scale (an all-zero error rate still draws).
        y:
          props.yRange !== undefined
            ? { range: props.yRange }
            : {
                range: (_u, min, max) => [Math.min(0, min), max > Math.min(0, min) ? max * 1.05 : Math.min(0, min) + 1],
              },
      },
      axes: props.sparkline
        ? [{ show: false }, { show: false }]
        : [
            bars
              ? {
                  values: (_u, splits) =>
                    splits.map((i, k) => (k % labelEvery === 0 ? (props.categories![i] ?? '') : '')),
                  splits: () => xs,
                }
              : {},
            { values: (_u, splits) => splits.map((v) => fmt(v)), size: 76 },
          ],
    };
    const plot = new uPlot(opts, data, node);
    const resize = () => plot.setSize({ width: node.clientWidth || width, height: opts.height });
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      plot.destroy();
    };
  }, [JSON.stringify([props.x, props.xRange, props.yRange, props.categories, props.series, props.thresholds])]);

  if (xs.length === 0) return <p class="empty">{props.title}: no data in this range.</p>;
  if (props.sparkline) return <div class="sparkline" ref={el} aria-hidden="true" />;
  return (
    <figure class="chart" data-testid={props.testId}>
      <figcaption>{props.title}</figcaption>
      <div ref={el} />
      <details>
        <summary>Table</summary>
        <table class="chart-table">
          <thead>
            <tr>
              <th>{bars ? 'bin' : 'time'}</th>
              {props.series.map((s) => (
                <th>{s.label}</th>
              ))}
              {(props.thresholds ?? []).map((t) => (
                <th>{t.label}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {xs.map((_, i) => (
              <tr>
                {bars ? (
                  <td>{props.categories![i]}</td>
                ) : (
                  <td title={utcTime(props.x![i]!)} data-time={props.x![i]}>
                    {localTime(props.x![i]!)}
                  </td>
                )}
                {props.series.map((s) => (
                  <td data-value={s.values[i] ?? ''}>{fmt(s.values[i] ?? null)}</td>
                ))}
                {(props.thresholds ?? []).map((t) => (
                  <td>{fmt(t.value)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

/**
 * Chooses between Prometheus text 0.0.4 and OpenMetrics 1.0 from an Accept header, as Prometheus
 * servers do: OpenMetrics only when the client asks for it at least as strongly as for plain text.
 */
export type ExpositionFormat = 'prometheus' | 'openmetrics';

export const CONTENT_TYPES: Record<ExpositionFormat, string> = {
  prometheus: 'text/plain; version=0.0.4; charset=utf-8',
  openmetrics: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
};

interface MediaRange {
  type: string;
  q: number;
}

function parseAccept(header: string): MediaRange[] {
  return header
    .split(',')
    .map((part) => {
      const [type = '', ...params] = part.split(';').map((s) => s.trim());
      let q = 1;
      for (const p of params) {
        const m = /^q\s*=\s*([0-9.]+)$/i.exec(p);
        if (m) q = Number(m[1]);
      }
      return { type: type.toLowerCase(), q: Number.isFinite(q) ? q : 0 };
    })
    .filter((r) => r.type !== '');
}

function weight(ranges: MediaRange[], types: string[]): number {
  return ranges.filter((r) => types.includes(r.type)).reduce((best, r) => Math.max(best, r.q), 0);
}

export function chooseFormat(accept: string | undefined): ExpositionFormat {
  if (accept === undefined) return 'prometheus';
  const ranges = parseAccept(accept);
  const om = weight(ranges, ['application/openmetrics-text']);
  const text = weight(ranges, ['text/plain', 'text/*', '*/*']);
  return om > 0 && om >= text ? 'openmetrics' : 'prometheus';
}

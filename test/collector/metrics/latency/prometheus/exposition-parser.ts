/**
 * A small, strict parser of Prometheus text 0.0.4 and OpenMetrics 1.0 text, written for the tests:
 * it reads back what the renderer wrote (escapes, exemplars, metadata) and throws on anything it
 * does not understand, so a malformed line fails the test instead of being skipped.
 */

interface ParsedExemplar {
  labels: Record<string, string>;
  value: number;
  timestamp?: number;
}

export interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
  exemplar?: ParsedExemplar;
}

interface ParsedFamily {
  name: string;
  type?: string;
  help?: string;
  unit?: string;
  samples: ParsedSample[];
}

export interface ParsedExposition {
  families: Map<string, ParsedFamily>;
  samples: ParsedSample[];
  eof: boolean;
}

function unescape(text: string, quotes: boolean): string {
  return text.replace(/\\(.)/g, (whole, c: string) => {
    if (c === '\\') return '\\';
    if (c === 'n') return '\n';
    if (c === '"' && quotes) return '"';
    throw new Error(`unknown escape ${whole}`);
  });
}

function parseNumber(text: string): number {
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`not a number: "${text}"`);
  return Number(text);
}

class Cursor {
  i = 0;
  constructor(readonly s: string) {}
  peek(): string {
    return this.s[this.i] ?? '';
  }
  expect(c: string): void {
    if (this.s[this.i] !== c) throw new Error(`expected "${c}" at ${this.i} in: ${this.s}`);
    this.i += 1;
  }
  take(re: RegExp): string {
    const m = re.exec(this.s.slice(this.i));
    if (!m || m.index !== 0) throw new Error(`unexpected text at ${this.i} in: ${this.s}`);
    this.i += m[0].length;
    return m[0];
  }
  done(): boolean {
    return this.i >= this.s.length;
  }
}

function parseLabels(c: Cursor): Record<string, string> {
  const labels: Record<string, string> = {};
  c.expect('{');
  while (c.peek() !== '}') {
    const name = c.take(/[a-zA-Z_][a-zA-Z0-9_]*/);
    c.expect('=');
    c.expect('"');
    const raw = c.take(/(?:[^"\\\n]|\\.)*/);
    c.expect('"');
    if (name in labels) throw new Error(`duplicate label ${name}`);
    labels[name] = unescape(raw, true);
    if (c.peek() === ',') c.expect(',');
  }
  c.expect('}');
  return labels;
}

function parseSample(line: string): ParsedSample {
  const c = new Cursor(line);
  const name = c.take(/[a-zA-Z_:][a-zA-Z0-9_:]*/);
  const labels = c.peek() === '{' ? parseLabels(c) : {};
  c.expect(' ');
  const value = parseNumber(c.take(/\S+/));
  if (c.peek() === ' ' && c.s[c.i + 1] !== '#') {
    c.expect(' ');
    c.take(/\S+/); // sample timestamp, unused by the renderer
  }
  const sample: ParsedSample = { name, labels, value };
  if (!c.done()) {
    c.take(/ # /);
    const exLabels = parseLabels(c);
    c.expect(' ');
    const exValue = parseNumber(c.take(/\S+/));
    sample.exemplar = { labels: exLabels, value: exValue };
    if (!c.done()) {
      c.expect(' ');
      sample.exemplar.timestamp = parseNumber(c.take(/\S+/));
    }
    if (!c.done()) throw new Error(`trailing text in: ${line}`);
  }
  return sample;
}

const SUFFIXES = ['_total', '_bucket', '_sum', '_count', '_created', ''];

export function parseExposition(text: string, format: 'prometheus' | 'openmetrics'): ParsedExposition {
  if (text !== '' && !text.endsWith('\n')) throw new Error('exposition must end with a line feed');
  const lines = text === '' ? [] : text.slice(0, -1).split('\n');
  const families = new Map<string, ParsedFamily>();
  const samples: ParsedSample[] = [];
  let eof = false;
  const family = (name: string): ParsedFamily => {
    let f = families.get(name);
    if (!f) families.set(name, (f = { name, samples: [] }));
    return f;
  };
  for (const line of lines) {
    if (eof) throw new Error('text after # EOF');
    if (line === '# EOF') {
      if (format !== 'openmetrics') throw new Error('# EOF in Prometheus text');
      eof = true;
      continue;
    }
    const meta = /^# (HELP|TYPE|UNIT) ([a-zA-Z_:][a-zA-Z0-9_:]*) ?(.*)$/.exec(line);
    if (meta) {
      const [, kind, name = '', rest = ''] = meta;
      const f = family(name);
      if (kind === 'HELP') f.help = unescape(rest, format === 'openmetrics');
      else if (kind === 'TYPE') f.type = rest;
      else f.unit = rest;
      continue;
    }
    if (line.startsWith('#')) throw new Error(`unexpected comment: ${line}`);
    const sample = parseSample(line);
    if (sample.exemplar && format !== 'openmetrics') throw new Error('exemplar in Prometheus text');
    const owner = SUFFIXES.map((s) =>
      sample.name.endsWith(s) ? sample.name.slice(0, sample.name.length - s.length) : '',
    ).find((base) => base !== '' && families.get(base)?.type !== undefined);
    if (owner === undefined) throw new Error(`sample without a TYPE: ${line}`);
    family(owner).samples.push(sample);
    samples.push(sample);
  }
  if (format === 'openmetrics' && !eof) throw new Error('OpenMetrics text must end with # EOF');
  return { families, samples, eof };
}

/** The one sample with this name whose labels include all of `labels`. */
export function findSample(
  parsed: ParsedExposition,
  name: string,
  labels: Record<string, string> = {},
): ParsedSample | undefined {
  const hits = parsed.samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  if (hits.length > 1) throw new Error(`${hits.length} samples match ${name} ${JSON.stringify(labels)}`);
  return hits[0];
}

import { spawnSync } from 'node:child_process';
import { fixturePath } from '../../support/fixtures.js';

/**
 * protoc (Debian's protobuf-compiler) as an independent reference: --encode turns text format into
 * wire bytes, --decode turns wire bytes into text format, both from the OTLP messages in test/fixtures/otlp-proto.
 */
const REQUEST = 'opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest';
const PROTO = 'opentelemetry/proto/collector/trace/v1/trace_service.proto';

export const protocAvailable = spawnSync('protoc', ['--version']).status === 0;

function protoc(mode: '--encode' | '--decode', input: Buffer): Buffer {
  const r = spawnSync('protoc', [`${mode}=${REQUEST}`, `-I${fixturePath('otlp-proto')}`, PROTO], {
    input,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`protoc ${mode} failed: ${r.stderr.toString()}`);
  return r.stdout;
}

export const protocEncode = (text: string): Buffer => protoc('--encode', Buffer.from(text, 'utf8'));
export const protocDecode = (bytes: Buffer): string => protoc('--decode', bytes).toString('utf8');

/** A message in text format: each field name with its values (sub-messages, raw bytes, or scalars as text). */
export interface TextMessage {
  [field: string]: (TextMessage | Buffer | string)[];
}

const TOKEN = /\s*(?:([A-Za-z_][\w.]*)|(-?[\d.][\w.+-]*)|("(?:[^"\\]|\\.)*")|([:{}]))/y;

/** Unescapes a C-style quoted string from protoc's output into its raw bytes. */
function unquote(literal: string): Buffer {
  const out: number[] = [];
  const s = literal.slice(1, -1);
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c !== '\\') {
      out.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const n = s[++i] as string;
    if (/[0-7]/.test(n)) {
      let oct = n;
      while (oct.length < 3 && /[0-7]/.test(s[i + 1] ?? '')) oct += s[++i];
      out.push(parseInt(oct, 8));
    } else if (n === 'x') {
      let hex = '';
      while (hex.length < 2 && /[0-9a-fA-F]/.test(s[i + 1] ?? '')) hex += s[++i];
      out.push(parseInt(hex, 16));
    } else {
      const simple: Record<string, number> = { n: 10, r: 13, t: 9, '"': 34, "'": 39, '\\': 92 };
      out.push(simple[n] ?? n.charCodeAt(0));
    }
  }
  return Buffer.from(out);
}

/** Parses protoc's text format (the subset --decode prints). */
export function parseProtoText(text: string): TextMessage {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = TOKEN.exec(text)) !== null) tokens.push(m[0].trim());
  let pos = 0;
  const message = (): TextMessage => {
    const out: TextMessage = {};
    while (pos < tokens.length && tokens[pos] !== '}') {
      const name = tokens[pos++] as string;
      let value: TextMessage | Buffer | string;
      if (tokens[pos] === ':') pos++;
      if (tokens[pos] === '{') {
        pos++;
        value = message();
        pos++; // '}'
      } else {
        const t = tokens[pos++] as string;
        value = t.startsWith('"') ? unquote(t) : t;
      }
      (out[name] ??= []).push(value);
    }
    return out;
  };
  return message();
}

import type { EventLoopPace } from './event-loop-pace.js';
import { badPayload } from './ingest-errors.js';

/**
 * JSON.parse of a large body in slices: the large containers (found by JsonScan as the body was
 * read) are walked member by member, and runs of small members — up to SLICE_BYTES of text — are
 * each handed to JSON.parse at once, giving way to the event loop between slices. The result is
 * what JSON.parse would build (own `__proto__` keys included); a text JSON.parse refuses is refused
 * too, with bad_payload. Costs about one more pass over the bytes than JSON.parse alone.
 */
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
/** Containers at least this long are parsed member by member; smaller ones by JSON.parse at once. */
export const SLICE_BYTES = 64 * 1024;

const invalid = (message: string, cause?: unknown): Error =>
  badPayload(`the body is not valid JSON: ${message}`, cause);

function parseText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw invalid((err as Error).message, err);
  }
}

const isSpace = (c: number | undefined): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  // JSON.parse makes `__proto__` an own property; an assignment would set the prototype instead.
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

class SlicedParser {
  constructor(
    private readonly body: Buffer,
    private readonly large: ReadonlyMap<number, number>,
    private readonly pace: EventLoopPace,
    private readonly sliceBytes: number,
  ) {}

  skipSpace(i: number): number {
    while (isSpace(this.body[i])) i++;
    return i;
  }

  /** The offset just past the small value starting at `i` (its content is checked by JSON.parse later). */
  skipSmall(i: number, end: number): number {
    const b = this.body;
    let depth = 0;
    let inString = false;
    for (; i < end; i++) {
      const c = b[i] as number;
      if (inString) {
        if (c === BACKSLASH) i++;
        else if (c === QUOTE) {
          inString = false;
          if (depth === 0) return i + 1;
        }
      } else if (c === QUOTE) inString = true;
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        if (depth === 0) return i;
        if (--depth === 0) return i + 1;
      } else if (depth === 0 && (c === COMMA || c === COLON || isSpace(c))) return i;
    }
    if (depth === 0 && !inString) return end;
    throw invalid('unexpected end of a value');
  }

  /** The value at `i` (no leading space); resolves with it and the offset just past it. */
  async value(i: number, end: number): Promise<[unknown, number]> {
    const close = this.large.get(i);
    if (close === undefined) {
      const stop = this.skipSmall(i, end);
      return [parseText(this.body.toString('utf8', i, stop)), stop];
    }
    const value = this.body[i] === OPEN_BRACKET ? await this.array(i, close) : await this.object(i, close);
    return [value, close + 1];
  }

  private async array(open: number, close: number): Promise<unknown[]> {
    if (this.body[close] !== CLOSE_BRACKET) throw invalid(`an array opened at byte ${open} is not closed by "]"`);
    const out: unknown[] = [];
    let runStart = -1;
    let runEnd = -1;
    const flush = async (): Promise<void> => {
      if (runStart < 0) return;
      const items = parseText(`[${this.body.toString('utf8', runStart, runEnd)}]`) as unknown[];
      for (const item of items) out.push(item);
      runStart = -1;
      if (this.pace.due()) await this.pace.giveWay();
    };
    let i = this.skipSpace(open + 1);
    if (i === close) return out;
    for (;;) {
      if (this.large.has(i)) {
        await flush();
        const [item, next] = await this.value(i, close);
        out.push(item);
        i = next;
      } else {
        const stop = this.skipSmall(i, close);
        if (runStart < 0) runStart = i;
        runEnd = stop;
        i = stop;
        if (runEnd - runStart >= this.sliceBytes) await flush();
      }
      i = this.skipSpace(i);
      if (i === close) break;
      if (this.body[i] !== COMMA) throw invalid(`expected "," or "]" at byte ${i}`);
      i = this.skipSpace(i + 1);
      if (i >= close) throw invalid(`expected a value at byte ${i}`);
    }
    await flush();
    return out;
  }

  private async object(open: number, close: number): Promise<Record<string, unknown>> {
    if (this.body[close] !== CLOSE_BRACE) throw invalid(`an object opened at byte ${open} is not closed by "}"`);
    const out: Record<string, unknown> = {};
    let runStart = -1;
    let runEnd = -1;
    const flush = async (): Promise<void> => {
      if (runStart < 0) return;
      const members = parseText(`{${this.body.toString('utf8', runStart, runEnd)}}`) as Record<string, unknown>;
      for (const key of Object.keys(members)) setOwn(out, key, members[key]);
      runStart = -1;
      if (this.pace.due()) await this.pace.giveWay();
    };
    let i = this.skipSpace(open + 1);
    if (i === close) return out;
    for (;;) {
      if (this.body[i] !== QUOTE) throw invalid(`expected a key at byte ${i}`);
      const keyStart = i;
      const keyEnd = this.skipSmall(i, close);
      i = this.skipSpace(keyEnd);
      if (this.body[i] !== COLON) throw invalid(`expected ":" at byte ${i}`);
      i = this.skipSpace(i + 1);
      if (this.large.has(i)) {
        await flush();
        const key = parseText(this.body.toString('utf8', keyStart, keyEnd)) as string;
        const [member, next] = await this.value(i, close);
        setOwn(out, key, member);
        i = next;
      } else {
        const stop = this.skipSmall(i, close);
        if (runStart < 0) runStart = keyStart;
        runEnd = stop;
        i = stop;
        if (runEnd - runStart >= this.sliceBytes) await flush();
      }
      i = this.skipSpace(i);
      if (i === close) break;
      if (this.body[i] !== COMMA) throw invalid(`expected "," or "}" at byte ${i}`);
      i = this.skipSpace(i + 1);
    }
    await flush();
    return out;
  }
}

/** Parses `body` as JSON.parse would, giving way to the event loop between slices. */
export async function parseJsonInSlices(
  body: Buffer,
  large: ReadonlyMap<number, number>,
  pace: EventLoopPace,
  sliceBytes = SLICE_BYTES,
): Promise<unknown> {
  const parser = new SlicedParser(body, large, pace, sliceBytes);
  const start = parser.skipSpace(0);
  if (start >= body.length) throw invalid('the body is empty');
  const [value, end] = await parser.value(start, body.length);
  if (parser.skipSpace(end) !== body.length) throw invalid(`unexpected text after the JSON value at byte ${end}`);
  return value;
}

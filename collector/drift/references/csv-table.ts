/**
 * A small RFC 4180 CSV reader for reference uploads (pure): fields separated by commas (or, when
 * the header line has none outside quotes, by semicolons or tabs), optionally in double quotes
 * with "" for a quote, records ended by LF or CRLF; a leading byte-order mark and a final empty
 * line are ignored. Every record must have as many fields as the header.
 */
export type CsvResult = { ok: true; header: string[]; rows: string[][] } | { ok: false; message: string };

function sniffDelimiter(text: string): string {
  let quoted = false;
  const counts = new Map<string, number>([
    [',', 0],
    [';', 0],
    ['\t', 0],
  ]);
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && counts.has(c)) counts.set(c, counts.get(c)! + 1);
  }
  if (counts.get(',')! > 0) return ',';
  return counts.get(';')! >= counts.get('\t')! && counts.get(';')! > 0 ? ';' : counts.get('\t')! > 0 ? '\t' : ',';
}

export function parseCsv(input: string): CsvResult {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const delimiter = sniffDelimiter(text);
  const records: string[][] = [];
  const recordLines: number[] = [];
  let recordLine = 1;
  let record: string[] = [];
  let field = '';
  let line = 1;
  let i = 0;
  let recordStart = true;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"' && field === '' && (recordStart || text[i - 1] === delimiter)) {
      // A quoted field: runs to the closing quote; "" is a quote.
      const startLine = line;
      i++;
      for (;;) {
        if (i >= text.length) return { ok: false, message: `line ${startLine}: a quoted field is never closed` };
        const q = text[i]!;
        if (q === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (q === '\n') line++;
        field += q;
        i++;
      }
      const next = text[i];
      if (next !== undefined && next !== delimiter && next !== '\n' && next !== '\r') {
        return {
          ok: false,
          message: `line ${line}: unexpected text after a closing quote (write a quote inside a quoted field as "")`,
        };
      }
      recordStart = false;
      continue;
    }
    if (c === delimiter) {
      record.push(field);
      field = '';
      recordStart = false;
      i++;
    } else if (c === '\n' || c === '\r') {
      record.push(field);
      records.push(record);
      recordLines.push(recordLine);
      record = [];
      field = '';
      recordStart = true;
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
    } else {
      field += c;
      recordStart = false;
      i++;
    }
  }
  if (!recordStart || field !== '') {
    record.push(field);
    records.push(record);
    recordLines.push(recordLine);
  }
  const [header, ...rows] = records;
  if (header === undefined || (header.length === 1 && header[0]!.trim() === '')) {
    return { ok: false, message: 'the CSV is empty: the first line must name the features (e.g. age,income,country)' };
  }
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    const at = recordLines[r + 1]!;
    if (row.length === 1 && row[0] === '' && header.length > 1) {
      return { ok: false, message: `line ${at} is empty: remove blank lines between records` };
    }
    if (row.length !== header.length) {
      return { ok: false, message: `line ${at} has ${row.length} fields but the header has ${header.length}` };
    }
  }
  return { ok: true, header, rows };
}

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT } from '../../../shared/exit-codes.js';
import type { CollectorClient } from '../collector-client.js';
import { subjectArgument, type SubjectVerb } from './subject-verb.js';

/**
 * `infertrace subject export <subject> [--format json|jsonl|csv] [--out FILE] [--bundle DIR]`:
 * everything held about the subject (Art. 15) as one JSON document, or a portability bundle
 * (Art. 20): DIR/inventory.jsonl and DIR/captured.csv. Files are written 0600 in folders 0700:
 * they hold the subject's personal data.
 */
async function fetchExport(
  client: CollectorClient,
  subject: string,
  format: string,
): Promise<{ ok: true; text: string } | { ok: false; code: number }> {
  let answer;
  try {
    answer = await client.post('/api/subjects/export', { subject, format });
  } catch (err) {
    return { ok: false, code: client.unreachable(err) };
  }
  if (answer.status !== 200) return { ok: false, code: client.collectorError(answer, 'the subject-rights API') };
  return { ok: true, text: answer.text };
}

export const exportVerb: SubjectVerb = {
  name: 'export',
  usage:
    'export <subject> [--format json|jsonl|csv] [--out FILE] [--bundle DIR]\n' +
    '                                            everything held (Art. 15); --bundle: JSON Lines + CSV (Art. 20)',
  options: { format: { type: 'string' }, out: { type: 'string' }, bundle: { type: 'string' } },
  remote: true,
  async run({ positionals, values, io, client }) {
    const [given] = positionals;
    const format = (values['format'] as string | undefined) ?? 'json';
    const bundle = values['bundle'] as string | undefined;
    const out = values['out'] as string | undefined;
    if (client === undefined || given === undefined || positionals.length !== 1 || (bundle && out)) {
      io.stderr.write('infertrace subject export: give one subject, and --out FILE or --bundle DIR (not both)\n');
      return EXIT.usage;
    }
    if (!['json', 'jsonl', 'csv'].includes(format)) {
      io.stderr.write('infertrace subject export: --format is json, jsonl or csv\n');
      return EXIT.usage;
    }
    const subject = subjectArgument(given);
    if (bundle !== undefined) {
      const lines = await fetchExport(client, subject, 'jsonl');
      if (!lines.ok) return lines.code;
      const csv = await fetchExport(client, subject, 'csv');
      if (!csv.ok) return csv.code;
      mkdirSync(bundle, { recursive: true, mode: 0o700 });
      writeFileSync(join(bundle, 'inventory.jsonl'), lines.text, { mode: 0o600 });
      writeFileSync(join(bundle, 'captured.csv'), csv.text, { mode: 0o600 });
      io.stdout.write(
        `infertrace subject export: wrote ${join(bundle, 'inventory.jsonl')} and ${join(bundle, 'captured.csv')}\n`,
      );
      return EXIT.ok;
    }
    const answer = await fetchExport(client, subject, format);
    if (!answer.ok) return answer.code;
    if (out !== undefined) writeFileSync(out, answer.text, { mode: 0o600 });
    else io.stdout.write(answer.text);
    return EXIT.ok;
  },
};

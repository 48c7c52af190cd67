import { EXIT } from '../../../shared/exit-codes.js';
import { postSubject } from './action-verbs.js';
import type { SubjectVerb } from './subject-verb.js';

/**
 * `infertrace subject rectify <subject> --request ID --field input.<name>|label --value V [--row N]`:
 * corrects one captured input or a feedback label (Art. 16). The value is read as JSON when it is
 * (`42`, `true`, `null`, `"42"` for the text), else taken as text.
 */
function valueOf(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export const rectifyVerb: SubjectVerb = {
  name: 'rectify',
  usage:
    'rectify <subject> --request ID --field input.<name>|label --value V [--row N]\n' +
    '                                            correct a captured input or a label (Art. 16)',
  options: {
    request: { type: 'string' },
    field: { type: 'string' },
    value: { type: 'string' },
    row: { type: 'string' },
  },
  remote: true,
  async run(input) {
    const { values, io } = input;
    const request = values['request'];
    const field = values['field'];
    const value = values['value'];
    const rowText = values['row'];
    const row = typeof rowText === 'string' ? Number(rowText) : undefined;
    if (typeof request !== 'string' || typeof field !== 'string' || typeof value !== 'string' || Number.isNaN(row)) {
      io.stderr.write('infertrace subject rectify: give --request, --field and --value (and --row as a number)\n');
      return EXIT.usage;
    }
    return postSubject('rectify', input, {
      requestId: request,
      field,
      value: valueOf(value),
      ...(row !== undefined ? { row } : {}),
    });
  },
};

import { EXIT } from '../../../shared/exit-codes.js';
import { errorOf } from '../collector-client.js';
import { subjectArgument, type SubjectVerb } from './subject-verb.js';

/**
 * `infertrace subject erase <subject|-> [--mode delete|anonymise] [--no-wait]`: erasure (Art. 17)
 * through `POST /api/subjects/erase`; prints the finished request (counts, receipt), or its id.
 */
export const eraseVerb: SubjectVerb = {
  name: 'erase',
  usage: 'erase <subject|-> [--mode delete|anonymise] [--no-wait]   erase the subject (Art. 17); prints the receipt',
  options: { mode: { type: 'string' }, 'no-wait': { type: 'boolean' } },
  remote: true,
  async run({ positionals, values, io, client }) {
    if (client === undefined) return EXIT.usage;
    if (positionals.length !== 1 || positionals[0] === '') {
      io.stderr.write('infertrace subject erase: give one subject (a pseudonym, a raw id, or - for standard input)\n');
      return EXIT.usage;
    }
    const subject = subjectArgument(positionals[0] as string);
    let answer;
    try {
      answer = await client.post('/api/subjects/erase', {
        subject,
        mode: typeof values['mode'] === 'string' ? values['mode'] : 'delete',
        wait: values['no-wait'] !== true,
      });
    } catch (err) {
      return client.unreachable(err);
    }
    if (answer.status === 200 || answer.status === 202) {
      io.stdout.write(`${JSON.stringify(answer.body, null, 2)}\n`);
      return (answer.body as { status?: string }).status === 'failed' ? EXIT.collectorError : EXIT.ok;
    }
    const code = errorOf(answer.body)?.code;
    if (code === 'invalid_subject' || code === 'unknown_key_id' || code === 'invalid_parameter') {
      io.stderr.write(`infertrace subject erase: ${String(errorOf(answer.body)?.message)}\n`);
      return EXIT.usage;
    }
    return client.collectorError(answer, 'the subject-rights API');
  },
};

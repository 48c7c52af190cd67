import { EXIT } from '../../../shared/exit-codes.js';
import { errorOf } from '../collector-client.js';
import type { SubjectVerb } from './subject-verb.js';

/** `infertrace subject status [<request-id>]`: one request's status and receipt, or the audit log. */
export const statusVerb: SubjectVerb = {
  name: 'status',
  usage: 'status [<request-id>]                     one request (its status, counts, receipt), or the audit log',
  remote: true,
  async run({ positionals, io, client }) {
    if (client === undefined || positionals.length > 1) return EXIT.usage;
    const [id] = positionals;
    let answer;
    try {
      answer = await client.get(
        id === undefined ? '/api/subjects/requests' : `/api/subjects/requests/${encodeURIComponent(id)}`,
      );
    } catch (err) {
      return client.unreachable(err);
    }
    if (answer.status === 200) {
      io.stdout.write(`${JSON.stringify(answer.body, null, 2)}\n`);
      return EXIT.ok;
    }
    if (errorOf(answer.body)?.code === 'subject_request_not_found') {
      io.stderr.write(`infertrace subject status: no request has the id "${id}"\n`);
      return EXIT.notFound;
    }
    return client.collectorError(answer, 'the subject-rights API');
  },
};

import { EXIT } from '../../../shared/exit-codes.js';
import type { VerbInput } from './subject-verb.js';
import { subjectArgument, type SubjectVerb } from './subject-verb.js';

/**
 * The verbs that POST one subject to `/api/subjects/<verb>` and print the audited answer (its
 * request id, counts and result): restrict, unrestrict, object, lift-objection.
 */
export async function postSubject(
  name: string,
  { positionals, io, client }: VerbInput,
  extra: Record<string, unknown> = {},
  arity = 1,
): Promise<number> {
  const [subject] = positionals;
  if (client === undefined || subject === undefined || positionals.length !== arity) {
    io.stderr.write(
      `infertrace subject ${name}: give one subject (a pseudonym, a raw id, or - to read it from standard input)\n`,
    );
    return EXIT.usage;
  }
  let answer;
  try {
    answer = await client.post(`/api/subjects/${name}`, { subject: subjectArgument(subject), ...extra });
  } catch (err) {
    return client.unreachable(err);
  }
  if (answer.status !== 200) return client.collectorError(answer, 'the subject-rights API');
  io.stdout.write(`${JSON.stringify(answer.body, null, 2)}\n`);
  return EXIT.ok;
}

function simple(name: string, what: string): SubjectVerb {
  return {
    name,
    usage: `${`${name} <subject>`.padEnd(41)} ${what}`,
    remote: true,
    run: (input) => postSubject(name, input),
  };
}

export const restrictVerb = simple('restrict', 'restrict processing (Art. 18): kept, hidden from read tokens, held');
export const unrestrictVerb = simple('unrestrict', 'lift the restriction; held spans are forwarded');
export const objectVerb = simple('object', 'record an objection (Art. 21): sidecars stop capturing them');
export const liftObjectionVerb = simple('lift-objection', 'lift the objection; capture resumes');

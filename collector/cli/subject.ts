import { EXIT } from '../../shared/exit-codes.js';
import { TOKEN_HELP } from './client-token.js';
import type { CliIo } from './collector-client.js';
import { connect, DEFAULT_COLLECTOR, parseCommandLine, usageError } from './collector-client.js';
import { eraseVerb } from './subject/erase-verb.js';
import { liftObjectionVerb, objectVerb, restrictVerb, unrestrictVerb } from './subject/action-verbs.js';
import { exportVerb } from './subject/export-verb.js';
import { idVerb } from './subject/id-verb.js';
import { rectifyVerb } from './subject/rectify-verb.js';
import { statusVerb } from './subject/status-verb.js';
import type { SubjectVerb } from './subject/subject-verb.js';

/**
 * `infertrace subject <verb> …`: the data subject's rights against a running collector (the
 * `/api/subjects/` API, privacy scope), and `id`, which computes pseudonyms locally. One table of
 * verbs; each verb is a file under subject/.
 *
 * Exit codes: 0 done; 1 no such request; 64 usage; 69 collector unreachable; 76 collector error; 78 no key (id).
 */
const VERBS: readonly SubjectVerb[] = [
  idVerb,
  eraseVerb,
  statusVerb,
  exportVerb,
  restrictVerb,
  unrestrictVerb,
  objectVerb,
  liftObjectionVerb,
  rectifyVerb,
];

const TIMEOUT_MS = 300_000;

const USAGE = `Usage: infertrace subject <verb> [arguments] [options]

The data subject's rights (GDPR Art. 15-21): find, erase and account for one person's data.
A <subject> is their pseudonym (hmac:<keyid>:<hex>, as enduser.pseudo.id holds it) or their raw id
(turned into pseudonyms with the collector's key, never stored); "-" reads it from standard input.

Verbs:
${VERBS.map((v) => `  ${v.usage}`).join('\n')}

Options:
  --collector URL   the collector (env INFERTRACE_COLLECTOR, default ${DEFAULT_COLLECTOR})
${TOKEN_HELP.replace('read scope', 'privacy scope')}  -h, --help        this text

Exit codes: 0 done, 1 no such request, 64 usage, 69 collector unreachable, 76 collector error, 78 no key.
`;
const COMMAND = { name: 'subject', usage: USAGE };

export async function run(argv: string[], io: CliIo = process): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help') {
    io.stdout.write(USAGE);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const verb = VERBS.find((v) => v.name === name);
  if (verb === undefined)
    return usageError(COMMAND, io, `unknown verb "${name}": one of ${VERBS.map((v) => v.name).join(', ')}`);
  const parsed = parseCommandLine(COMMAND, io, {
    args: rest,
    allowPositionals: true,
    strict: true,
    options: {
      collector: { type: 'string' },
      token: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      ...verb.options,
    },
  });
  if (typeof parsed === 'number') return parsed;
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (!verb.remote) return verb.run({ positionals: parsed.positionals, values, io });
  const client = connect(
    COMMAND,
    io,
    values['collector'] as string | undefined,
    TIMEOUT_MS,
    values['token'] as string | undefined,
  );
  if (typeof client === 'number') return client;
  return verb.run({ positionals: parsed.positionals, values, io, client });
}

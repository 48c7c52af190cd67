import { parseArgs } from 'node:util';
import { isScope, SCOPES } from './scopes.js';
import { newToken, tokenHashText } from './token-hash.js';

/**
 * `infertrace token --name NAME --scopes ingest,read`: makes a new random token and prints it once,
 * with the line for the collector's tokens file (which holds only its hash).
 */
const USAGE = `Usage: infertrace token --name NAME --scopes SCOPE[,SCOPE…]

Makes a new random token. Give the token to the client (e.g. the sidecar's
OTEL_EXPORTER_OTLP_HEADERS=authorization=Bearer <token>, or INFERTRACE_TOKEN for the CLI), and
add the printed line to the collector's tokens file (--tokens-file): it holds only the hash.

Scopes: ${SCOPES.join(', ')}
`;

export async function run(argv: string[]): Promise<number> {
  let values: { name?: string; scopes?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { name: { type: 'string' }, scopes: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    }));
  } catch (err) {
    process.stderr.write(`infertrace token: ${(err as Error).message}\n\n${USAGE}`);
    return 64;
  }
  if (values.help === true) {
    process.stdout.write(USAGE);
    return 0;
  }
  const scopes = (values.scopes ?? '').split(',').filter((s) => s !== '');
  if (!values.name || !/^[A-Za-z0-9_.-]{1,64}$/.test(values.name) || scopes.length === 0 || !scopes.every(isScope)) {
    process.stderr.write(
      `infertrace token: give --name (letters, digits, '_', '.', '-') and --scopes from ${SCOPES.join(', ')}\n\n${USAGE}`,
    );
    return 64;
  }
  const token = newToken();
  process.stdout.write(
    `token (shown once; give it to the client):\n  ${token}\nline for the collector's tokens file:\n  ${values.name} ${scopes.join(',')} ${tokenHashText(token)}\n`,
  );
  return 0;
}

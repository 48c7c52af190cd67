import { existsSync } from 'node:fs';
import { ConfigError, ConfigReader } from '../../../shared/config.js';
import { EXIT } from '../../../shared/exit-codes.js';
import { DEFAULT_DATA_DIR, localSecretPaths } from '../../../shared/local-secrets.js';
import { HMAC_SETTINGS, readPseudonymiser } from '../../../shared/pseudonyms/hmac-key.js';
import { SUBJECT_PURPOSE } from '../../../shared/pseudonyms/hmac.js';
import { subjectArgument, type SubjectVerb } from './subject-verb.js';

/**
 * `infertrace subject id <raw-id|->`: the subject's pseudonym under every key of the keyring, the
 * primary first, computed here (no collector): for operators who keep the key away from the
 * collector and send it pseudonyms only. The key is read as the sidecar reads it; without one, the
 * key `infertrace up` made under ./data/secrets is used when it exists.
 */
export const idVerb: SubjectVerb = {
  name: 'id',
  usage: 'id <raw-id|->  [--hmac-key-file FILE]   print the pseudonyms of a raw id (computed locally)',
  options: { 'hmac-key-file': { type: 'string' }, 'hmac-key-id': { type: 'string' } },
  remote: false,
  async run({ positionals, values, io }) {
    const [raw] = positionals;
    if (raw === undefined || positionals.length !== 1) {
      io.stderr.write('infertrace subject id: give one raw id (or - to read it from standard input)\n');
      return EXIT.usage;
    }
    const env = { ...io.env };
    const local = localSecretPaths(DEFAULT_DATA_DIR).hmacKey;
    const given =
      values['hmac-key-file'] !== undefined || env['INFERTRACE_HMAC_KEY'] || env['INFERTRACE_HMAC_KEY_FILE'];
    if (!given && existsSync(local)) env['INFERTRACE_HMAC_KEY_FILE'] = local;
    const reader = new ConfigReader(
      { [HMAC_SETTINGS.keyFile.flag]: values['hmac-key-file'], [HMAC_SETTINGS.keyId.flag]: values['hmac-key-id'] },
      env,
    );
    const keyring = readPseudonymiser(reader);
    try {
      reader.done();
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      io.stderr.write(`infertrace subject id: ${err.message}\n`);
      return EXIT.config;
    }
    if (keyring === undefined) {
      io.stderr.write(
        "infertrace subject id: no key: set INFERTRACE_HMAC_KEY_FILE (or --hmac-key-file) to the sidecar's key\n",
      );
      return EXIT.config;
    }
    const text = subjectArgument(raw);
    if (text === '') {
      io.stderr.write('infertrace subject id: the raw id is empty\n');
      return EXIT.usage;
    }
    io.stdout.write(`${keyring.candidates(text, SUBJECT_PURPOSE).join('\n')}\n`);
    return EXIT.ok;
  },
};

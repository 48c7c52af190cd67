import { parseKeyPairsIntoRecord } from '@opentelemetry/core';
import { request } from 'undici';
import type { ConfigReader, Setting } from '../../../shared/config.js';
import { settingName } from '../../../shared/config.js';
import { isPseudonym, Objections, readObjectionsFile } from './objections.js';

/**
 * Where the sidecar's deny-list of objecting subjects comes from, kept current: a file (re-read on
 * every refresh) and the collector's `GET /api/subjects/objections`, pulled at start and then every
 * interval. The pull authenticates with the export's own `authorization` header
 * (OTEL_EXPORTER_OTLP_[TRACES_]HEADERS), so the sidecar's ingest token is enough: the collector
 * answers that one route to the ingest scope (pseudonyms only, no captured value), and the sidecar
 * never needs the privacy scope, which could erase and export. A failed refresh keeps the last list.
 */
export const OBJECTION_SETTINGS = {
  file: { flag: 'objections-file', env: 'INFERTRACE_OBJECTIONS_FILE' },
  url: { flag: 'objections-url', env: 'INFERTRACE_OBJECTIONS_URL' },
  interval: { flag: 'objections-interval', env: 'INFERTRACE_OBJECTIONS_INTERVAL' },
} as const satisfies Record<string, Setting>;

export interface ObjectionSourceSettings {
  file?: string;
  /** The collector's deny-list URL; absent: not pulled. */
  url?: string;
  headers: Record<string, string>;
  intervalMs: number;
  timeoutMs: number;
}

const OBJECTIONS_PATH = '/api/subjects/objections';

/** Reads the settings; the URL defaults to the collector the spans go to (its /v1/traces replaced). */
export function readObjectionSettings(
  reader: ConfigReader,
  traces: { exporter: 'otlp' | 'none'; endpoint: string } | undefined,
): ObjectionSourceSettings {
  const S = OBJECTION_SETTINGS;
  const file = reader.raw(S.file);
  const urlText = reader.raw(S.url);
  let url: string | undefined;
  if (urlText === 'none') url = undefined;
  else if (urlText !== undefined) url = reader.url(S.url);
  else if (traces?.exporter === 'otlp' && traces.endpoint.endsWith('/v1/traces'))
    url = traces.endpoint.slice(0, -'/v1/traces'.length) + OBJECTIONS_PATH;
  // The exporter reads its headers from the process environment; the settings' own come first.
  const headerText =
    reader.raw({ env: 'OTEL_EXPORTER_OTLP_TRACES_HEADERS' }) ??
    reader.raw({ env: 'OTEL_EXPORTER_OTLP_HEADERS' }) ??
    process.env['OTEL_EXPORTER_OTLP_TRACES_HEADERS'] ??
    process.env['OTEL_EXPORTER_OTLP_HEADERS'];
  const all = headerText === undefined ? {} : parseKeyPairsIntoRecord(headerText);
  const auth = Object.entries(all).find(([k]) => k.toLowerCase() === 'authorization')?.[1];
  if (file !== undefined) {
    try {
      readObjectionsFile(file);
    } catch (err) {
      reader.problems.push(`${settingName(S.file)}: ${file}: ${(err as Error).message}`);
    }
  }
  return {
    ...(file !== undefined ? { file } : {}),
    ...(url !== undefined ? { url } : {}),
    headers: auth === undefined ? {} : { authorization: auth },
    intervalMs: reader.duration(S.interval, 30_000, { min: 1000 }),
    timeoutMs: 5000,
  };
}

export interface ObjectionSource {
  readonly list: Objections;
  /** Reads the file and pulls the collector once; failures are logged and keep the last list. */
  refresh(): Promise<void>;
  /** A first refresh (awaited), then one every interval. */
  start(): Promise<void>;
  stop(): void;
}

export function createObjectionSource(settings: ObjectionSourceSettings, log: (line: string) => void): ObjectionSource {
  const list = new Objections();
  let timer: NodeJS.Timeout | undefined;
  let failing = false;
  const note = (ok: boolean, message: string): void => {
    if (!ok && !failing) log(`infertrace sidecar: objections: ${message}; keeping the last list`);
    if (ok && failing) log('infertrace sidecar: objections: pulled again');
    failing = !ok;
  };

  const pull = async (url: string): Promise<void> => {
    try {
      const res = await request(url, {
        headers: { accept: 'application/json', ...settings.headers },
        headersTimeout: settings.timeoutMs,
        bodyTimeout: settings.timeoutMs,
      });
      const body: unknown = await res.body.json().catch(() => undefined);
      if (res.statusCode !== 200) return note(false, `the collector answered ${res.statusCode}`);
      const pseudonyms = (body as { pseudonyms?: unknown } | undefined)?.pseudonyms;
      if (!Array.isArray(pseudonyms)) return note(false, 'the collector sent no pseudonym list');
      list.setCollector(pseudonyms.filter((p): p is string => typeof p === 'string' && isPseudonym(p)));
      note(true, '');
    } catch (err) {
      note(false, `cannot reach the collector (${(err as Error).name})`);
    }
  };

  const refresh = async (): Promise<void> => {
    if (settings.file !== undefined) {
      try {
        list.setFile(readObjectionsFile(settings.file));
      } catch (err) {
        log(`infertrace sidecar: objections file: ${(err as Error).message}; keeping the last list`);
      }
    }
    if (settings.url !== undefined) await pull(settings.url);
  };

  return {
    list,
    refresh,
    async start() {
      await refresh();
      timer = setInterval(() => void refresh(), settings.intervalMs);
      timer.unref();
    },
    stop() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
    },
  };
}

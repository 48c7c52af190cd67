import type { Setting } from '../../shared/config.js';
import { ALERT_SETTINGS } from '../alerts/alert-settings.js';
import { COLLECTOR_SETTINGS } from '../config.js';
import { DRIFT_SETTINGS } from '../drift/drift-settings.js';
import { FORWARD_SETTINGS } from '../forwarding/forward-config.js';
import { FEEDBACK_SETTINGS } from '../feedback/feedback-settings.js';
import { LATENCY_SETTINGS } from '../metrics/latency/latency-options.js';
import { RELATIONSHIP_SETTINGS } from '../relationships/relationship-settings.js';
import { SUBJECT_SETTINGS } from '../subjects/subject-settings.js';

/** Every setting of the collector, by area: each area owns its list, the command line takes them all. */
const SETTING_GROUPS: Readonly<Record<string, Readonly<Record<string, Setting>>>> = {
  collector: COLLECTOR_SETTINGS,
  latency: LATENCY_SETTINGS,
  drift: DRIFT_SETTINGS,
  relationships: RELATIONSHIP_SETTINGS,
  forwarding: FORWARD_SETTINGS,
  feedback: FEEDBACK_SETTINGS,
  alerts: ALERT_SETTINGS,
  subjects: SUBJECT_SETTINGS,
};

/** parseArgs options for every flag: all take a value. */
export function collectorFlagOptions(): Record<string, { type: 'string' }> {
  const out: Record<string, { type: 'string' }> = {};
  for (const group of Object.values(SETTING_GROUPS)) {
    for (const s of Object.values(group)) if (s.flag !== undefined) out[s.flag] = { type: 'string' };
  }
  return out;
}

/** `--flag VALUE   VARIABLE` lines for the areas beyond the core settings, for --help. */
export function featureFlagHelp(): string {
  const lines: string[] = [];
  for (const [area, group] of Object.entries(SETTING_GROUPS)) {
    if (area === 'collector') continue;
    lines.push(`  ${area}:`);
    for (const s of Object.values(group))
      lines.push(
        s.flag === undefined ? `    ${''.padEnd(28)} ${s.env ?? ''}` : `    --${s.flag.padEnd(26)} ${s.env ?? ''}`,
      );
  }
  return lines.join('\n');
}

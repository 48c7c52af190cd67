import { AppError } from '../../shared/errors.js';
import type { Alert } from './alert.js';
import { buildCause } from './alert-cause.js';
import { conditionMet, type AlertRule } from './alert-rule.js';
import { resolveAlert, stepAlert, type Evaluation } from './alert-state.js';
import type { AlertQuery, AlertStore } from './alert-store.js';
import type { MetricSource } from './metric-source.js';
import {
  DEFAULT_DELIVERY,
  deliverDue,
  queueFiring,
  queueRepeats,
  queueResolved,
  receiversOf,
  type DeliveryOptions,
  type DeliveryOutcome,
} from './notification-delivery.js';
import { parseRule } from './parse-rule.js';
import type { Receiver } from './receiver.js';
import { sendWebhook, type WebhookSender } from './webhook-sender.js';

/**
 * Evaluates every rule on a schedule, steps its alert through pending → firing → resolved, keeps
 * rules and alerts in the AlertStore (so they survive a restart) and delivers the notifications.
 * `tick()` is one round (evaluate, deliver; old history is the retention policy's, alert-retention.ts); start() runs it every `intervalMs`, never two
 * at once; tests call tick() with a fake clock instead.
 */
export interface AlertEngineOptions {
  store: AlertStore;
  receivers?: readonly Receiver[];
  /** Metric name → source; more can be registered later with registerSource. */
  sources?: Readonly<Record<string, MetricSource>>;
  intervalMs?: number;
  /** Base URL of the collector as people reach it, for links in notifications. */
  externalUrl?: string;
  delivery?: Partial<DeliveryOptions>;
  send?: WebhookSender;
  clock?: () => number;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
}

export interface RuleStatus {
  rule: AlertRule;
  health: 'unknown' | 'ok' | 'no_data' | 'error';
  lastEvaluatedMs: number | null;
  lastValue: number | null;
  lastError: string | null;
}

export const DEFAULT_INTERVAL_MS = 30_000;

export class AlertEngine {
  readonly store: AlertStore;
  readonly intervalMs: number;
  private readonly sources = new Map<string, MetricSource>();
  private readonly status = new Map<string, Omit<RuleStatus, 'rule'>>();
  private readonly receivers: readonly Receiver[];
  private readonly delivery: DeliveryOptions;
  private readonly clock: () => number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly options: AlertEngineOptions) {
    this.store = options.store;
    this.receivers = options.receivers ?? [];
    this.intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
    this.delivery = { ...DEFAULT_DELIVERY, ...options.delivery };
    this.clock = options.clock ?? Date.now;
    for (const [name, source] of Object.entries(options.sources ?? {})) this.sources.set(name, source);
  }

  /** Base URL for links in notifications, if configured. */
  get externalUrl(): string | undefined {
    return this.options.externalUrl;
  }

  registerSource(metric: string, source: MetricSource): void {
    this.sources.set(metric, source);
  }

  /** Metric names that have a source. */
  metrics(): string[] {
    return [...this.sources.keys()].sort();
  }

  /** Checks a parsed rule against this collector: its metric has a source, its receivers exist. */
  checkRule(rule: AlertRule): void {
    if (!this.sources.has(rule.metric)) {
      throw new AppError(
        'unknown_metric',
        `rule ${rule.id}: metric "${rule.metric}" has no source in this collector; metrics with a source: ${this.metrics().join(', ')}`,
      );
    }
    for (const name of rule.receivers ?? []) {
      if (!this.receivers.some((r) => r.name === name)) {
        const known = this.receivers.map((r) => r.name).join(', ') || 'none (define them in the rules file)';
        throw new AppError(
          'unknown_receiver',
          `rule ${rule.id}: receiver "${name}" is not defined; receivers: ${known}`,
        );
      }
    }
  }

  /** Replaces the rules from the file with these; removed rules' active alerts are resolved. */
  setFileRules(rules: readonly AlertRule[]): void {
    for (const rule of rules) this.checkRule(rule);
    const now = this.clock();
    for (const old of this.store.rules()) {
      if (old.origin === 'file' && !rules.some((r) => r.id === old.id))
        this.removeRule(old, now, 'the rule was removed from the rules file');
    }
    for (const rule of rules) this.store.putRule({ ...rule, origin: 'file' });
  }

  /** Adds a rule posted to the API (external shape, see parse-rule.ts). */
  addRule(input: unknown): AlertRule {
    const parsed = parseRule(input, 'rule', 'api');
    if (!parsed.ok) throw new AppError('invalid_rule', parsed.problems.join('; '));
    const rule = parsed.rule;
    if (this.store.rules().some((r) => r.id === rule.id)) {
      throw new AppError(
        'rule_exists',
        `a rule with id "${rule.id}" exists already: delete it first or choose another id`,
      );
    }
    this.checkRule(rule);
    this.store.putRule(rule);
    return rule;
  }

  deleteRule(id: string): void {
    const rule = this.store.rules().find((r) => r.id === id);
    if (rule === undefined) throw new AppError('rule_not_found', `there is no alert rule with id "${id}"`);
    if (rule.origin === 'file') {
      throw new AppError(
        'rule_from_file',
        `rule "${id}" comes from the rules file (INFERTRACE_ALERT_RULES): remove it there and restart`,
      );
    }
    this.removeRule(rule, this.clock(), 'the rule was deleted');
  }

  rules(): RuleStatus[] {
    return this.store.rules().map((rule) => ({
      rule,
      ...(this.status.get(rule.id) ?? { health: 'unknown', lastEvaluatedMs: null, lastValue: null, lastError: null }),
    }));
  }

  alerts(query: AlertQuery): Alert[] {
    return this.store.listAlerts(query);
  }

  /** Evaluates every rule once at `nowMs`. */
  async evaluate(nowMs: number = this.clock()): Promise<void> {
    const active = new Map(this.store.activeAlerts().map((a) => [a.ruleId, a]));
    for (const rule of this.store.rules()) {
      const source = this.sources.get(rule.metric);
      if (source === undefined) {
        this.setStatus(rule.id, nowMs, 'error', null, `metric "${rule.metric}" has no source in this collector`);
        continue;
      }
      let evaluation: Evaluation;
      try {
        const reading = await source(rule, nowMs);
        evaluation =
          reading === undefined
            ? { kind: 'no_data' }
            : {
                kind: 'value',
                value: reading.value,
                met: conditionMet(reading.value, rule.comparison, rule.threshold),
                cause: buildCause(rule, reading),
              };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        this.setStatus(rule.id, nowMs, 'error', null, message);
        this.options.log?.('warn', `alert rule ${rule.id}: evaluating ${rule.metric} failed: ${message}`);
        continue;
      }
      this.setStatus(
        rule.id,
        nowMs,
        evaluation.kind === 'value' ? 'ok' : 'no_data',
        evaluation.kind === 'value' ? evaluation.value : null,
        null,
      );
      this.apply(rule, active.get(rule.id), evaluation, nowMs);
    }
  }

  /** Delivers the notifications that are due. */
  deliver(nowMs: number = this.clock()): Promise<DeliveryOutcome> {
    return deliverDue(
      this.store,
      this.receivers,
      this.options.send ?? sendWebhook,
      nowMs,
      this.delivery,
      this.options.externalUrl,
    );
  }

  /** One round: evaluate, deliver. */
  async tick(): Promise<void> {
    const now = this.clock();
    await this.evaluate(now);
    const outcome = await this.deliver(now);
    if (outcome.failed > 0)
      this.options.log?.(
        'error',
        `${outcome.failed} alert notification(s) could not be delivered; see GET /api/alerts`,
      );
  }

  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => {
      if (this.running !== undefined) return;
      this.running = this.tick()
        .catch((error: unknown) =>
          this.options.log?.(
            'error',
            `alert evaluation failed: ${error instanceof Error ? error.message : String(error)}`,
          ),
        )
        .finally(() => {
          this.running = undefined;
        });
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Stops the schedule; resolves once a round in progress has finished. */
  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private apply(rule: AlertRule, active: Alert | undefined, evaluation: Evaluation, nowMs: number): void {
    const { alert, transition } = stepAlert(active, rule, evaluation, nowMs);
    if (alert === undefined) return;
    if (transition === 'dropped') {
      this.store.deleteAlert(alert.id);
      return;
    }
    this.store.putAlert(alert);
    const receivers = receiversOf(this.receivers, rule.receivers);
    if (transition === 'firing') queueFiring(this.store, alert, receivers, nowMs);
    else if (transition === 'resolved') queueResolved(this.store, alert, receivers, nowMs);
    else if (alert.state === 'firing') queueRepeats(this.store, alert, receivers, nowMs);
  }

  private removeRule(rule: AlertRule, nowMs: number, reason: string): void {
    const active = this.store.activeAlerts().find((a) => a.ruleId === rule.id);
    if (active !== undefined) {
      if (active.state === 'pending') this.store.deleteAlert(active.id);
      else {
        const resolved = resolveAlert(active, nowMs, reason);
        this.store.putAlert(resolved);
        queueResolved(this.store, resolved, receiversOf(this.receivers, rule.receivers), nowMs);
      }
    }
    this.store.deleteRule(rule.id);
    this.status.delete(rule.id);
  }

  private setStatus(
    id: string,
    nowMs: number,
    health: RuleStatus['health'],
    value: number | null,
    error: string | null,
  ): void {
    this.status.set(id, { health, lastEvaluatedMs: nowMs, lastValue: value, lastError: error });
  }
}

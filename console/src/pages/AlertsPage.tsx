import { api } from '../api';
import { Empty, Failure, Loading } from '../components/Empty';
import { localTime, num } from '../format';
import type { Alert } from '../types';
import { useData } from '../use-data';
import { href, onLink, type UrlState } from '../url-state';

/** Page 5: firing and resolved alerts, each cause with exemplars that open their requests; the rules. */
interface Rule {
  id: string;
  metric: string;
  op?: string;
  threshold?: number;
  origin: string;
  status: { health: string; lastValue: number | null; lastError: string | null };
}

export function AlertsPage(_props: { state: UrlState }) {
  const { data, error, loading } = useData(
    () =>
      Promise.all([
        api<{ alerts: Alert[] }>('/api/alerts', { limit: 200 }),
        api<{ rules: Rule[] }>('/api/alerts/rules'),
      ]),
    [],
  );
  if (loading) return <Loading />;
  if (error !== undefined) return <Failure error={error} />;
  const [alerts, rules] = data!;
  return (
    <section>
      <h1>Alerts</h1>
      {alerts.alerts.length === 0 ? (
        <Empty>No alerts. Rules come from INFERTRACE_ALERT_RULES or POST /api/alerts/rules.</Empty>
      ) : (
        <ul class="alerts" data-testid="alerts">
          {alerts.alerts.map((a) => (
            <li class={`alert ${a.state}`}>
              <strong>{a.rule}</strong> <span class="state">{a.state}</span> <span class="severity">{a.severity}</span>{' '}
              since <span title={a.activeAt}>{localTime(Date.parse(a.activeAt))}</span>
              {a.resolvedAt !== null && (
                <>
                  , resolved <span title={a.resolvedAt}>{localTime(Date.parse(a.resolvedAt))}</span>
                </>
              )}
              <p>{a.cause.summary}</p>
              {(a.cause.exemplarRequestIds ?? []).length > 0 && (
                <p>
                  Requests:{' '}
                  {a.cause.exemplarRequestIds!.map((id) => (
                    <a class="exemplar" href={href({ view: 'request', id })} onClick={onLink({ view: 'request', id })}>
                      {id}
                    </a>
                  ))}
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
      <h2>Rules</h2>
      {rules.rules.length === 0 ? (
        <Empty>No rules yet.</Empty>
      ) : (
        <table>
          <thead>
            <tr>
              <th>rule</th>
              <th>metric</th>
              <th>condition</th>
              <th>from</th>
              <th>health</th>
              <th>last value</th>
            </tr>
          </thead>
          <tbody>
            {rules.rules.map((r) => (
              <tr>
                <td>{r.id}</td>
                <td>{r.metric}</td>
                <td>
                  {r.op ?? ''} {r.threshold ?? ''}
                </td>
                <td>{r.origin}</td>
                <td>{r.status.health}</td>
                <td>{num(r.status.lastValue)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

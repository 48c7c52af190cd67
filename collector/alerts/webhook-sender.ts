import { request } from 'undici';

/**
 * Sends one JSON body to a webhook (I/O edge) and classifies the outcome, so delivery knows
 * whether trying again can help: network errors, timeouts, 408, 429 and 5xx are retryable; other
 * non-2xx answers are not (the receiver refuses this body and will refuse it again).
 */
type SendOutcome = { ok: true; status: number } | { ok: false; retryable: boolean; error: string };

export type WebhookSender = (
  url: string,
  body: unknown,
  headers: Record<string, string>,
  timeoutMs: number,
) => Promise<SendOutcome>;

export const sendWebhook: WebhookSender = async (url, body, headers, timeoutMs) => {
  try {
    const res = await request(url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', 'user-agent': 'infertrace-alerts' },
      body: JSON.stringify(body),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const text = await res.body.text();
    if (res.statusCode >= 200 && res.statusCode < 300) return { ok: true, status: res.statusCode };
    const retryable = res.statusCode === 408 || res.statusCode === 429 || res.statusCode >= 500;
    return { ok: false, retryable, error: `HTTP ${res.statusCode}: ${text.slice(0, 200)}` };
  } catch (error) {
    return {
      ok: false,
      retryable: true,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    };
  }
};

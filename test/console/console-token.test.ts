import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenHashText } from '../../collector/auth/token-hash.js';
import { readCollectorConfig } from '../../collector/config.js';
import { startCollector, type RunningCollector } from '../../collector/main.js';

/*
 * The console against a collector with tokens: it asks for a token once, sends it as a bearer
 * token from then on (the tab's sessionStorage), and a token without the scope a page needs shows
 * the collector's refusal instead of data (the console is built before the run: console-build.global.ts).
 */
const CHROMIUM = '/usr/bin/chromium';
const READ = 'console-read-token-0123456789abcdef';
const INGEST = 'console-ingest-token-0123456789abcdef';

let dir: string;
let collector: RunningCollector;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) return;
  dir = mkdtempSync(join(tmpdir(), 'infertrace-console-token-'));
  const tokens = [`viewer read ${tokenHashText(READ)}`, `sender ingest ${tokenHashText(INGEST)}`].join('\n');
  collector = await startCollector(
    readCollectorConfig(
      { host: '127.0.0.1', port: '0', db: join(dir, 'spans.db'), 'log-level': 'silent' },
      { INFERTRACE_TOKENS: tokens },
    ),
  );
  await collector.opening.opened();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await collector?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!existsSync(CHROMIUM))('the console behind tokens', () => {
  it('asks for a token once per tab, then sends it; a token without the read scope is refused', async () => {
    const page = await browser.newPage();
    const authorizations: (string | undefined)[] = [];
    page.on('request', (req) => {
      if (new URL(req.url()).pathname.startsWith('/api/')) authorizations.push(req.headers().authorization);
    });
    await page.goto(`${collector.url}/ui/?view=alerts`);
    await page.waitForSelector('form.token');
    expect(authorizations[0]).toBeUndefined();

    await page.fill('input[name=token]', INGEST);
    await page.click('form.token button[type=submit]');
    await page.waitForSelector('.failure, form.token');
    // The ingest token is valid but cannot read: the collector says so, the console shows it.
    const refused = await page.locator('.failure').first().textContent();
    expect(refused ?? '').toMatch(/scope|read/i);

    await page.click('button.signout');
    await page.goto(`${collector.url}/ui/?view=alerts`);
    await page.waitForSelector('form.token');
    await page.fill('input[name=token]', READ);
    await page.click('form.token button[type=submit]');
    await page.waitForSelector('h1:has-text("Alerts")');
    await page.waitForSelector('text=No alerts');
    expect(authorizations.at(-1)).toBe(`Bearer ${READ}`);

    // Another page of the same tab: no second prompt.
    await page.goto(`${collector.url}/ui/?view=references&model=m`);
    await page.waitForSelector('text=has no stored reference');
    expect(await page.locator('form.token').count()).toBe(0);
    await page.close();
  });
});

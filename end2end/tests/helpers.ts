import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { expect, Page } from '@playwright/test';

const dir = process.env.GATEHOUSE_E2E_DIR ?? '/tmp/gatehouse-e2e';

/** A `notes:write` token made with the CLI, as an operator would for a pipeline. */
export function ciToken(): string {
  return execFileSync(
    path.join(__dirname, '..', '..', 'target/debug/gatehouse'),
    ['token', 'create', '--user', 'ci-checkout', '--groups', '', '--scopes', 'notes:write'],
    {
      env: {
        ...process.env,
        DATABASE_URL: `sqlite://${dir}/gatehouse.db?mode=rwc`,
        GATEHOUSE_AUDIT_KEY_FILE: `${dir}/gatehouse-audit.key`,
        GATEHOUSE_RUNBOOKS_DIR: `${dir}/runbooks`,
        RUST_LOG: 'error',
      },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  ).trim();
}

/** Signs in with the development sign-in as one of the demo personas. */
export async function signIn(page: Page, persona: 'developer' | 'approver' | 'security' | 'oncall' | 'admin', next = '/') {
  await page.goto(`/signin?next=${encodeURIComponent(next)}`);
  await expect(page.getByText('Development sign-in').first()).toBeVisible();
  await page.click(`button[data-persona="${persona}"]`);
  await page.waitForURL((url) => url.pathname + url.search + url.hash === next || url.pathname === next);
}

/** Waits until the WASM bundle has hydrated the page (copy buttons and live search need it).
 * The unoptimized test bundle is large and the CI machine has two cores, so this allows 25 s;
 * if it still fails, the error carries what the page logged, to tell a slow load from a panic. */
export async function hydrated(page: Page) {
  try {
    await page.waitForFunction(() => (window as any).__gatehouse_hydrated === true, null, { timeout: 25_000 });
  } catch (error) {
    const logged = (await page.consoleMessages()).map((m) => `${m.type()}: ${m.text()}`);
    const errors = (await page.pageErrors()).map((e) => `pageerror: ${e.message}`);
    const loads = await page.evaluate(() =>
      performance.getEntriesByType('resource')
        .filter((e) => /\.(wasm|js)$/.test(e.name))
        .map((e) => `${e.name} ${Math.round(e.duration)} ms`));
    throw new Error(`the page did not hydrate: ${error}\n${[...errors, ...logged, ...loads].join('\n')}`);
  }
}

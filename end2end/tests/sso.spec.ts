// Single sign-on against a real OpenID Connect provider (oidc-provider on loopback, started
// by playwright.config.ts): sign in through its login page, land on the page that asked,
// see the role, sign out at both ends; a forged state is refused; a restricted runbook
// follows the groups from the provider; the audit log shows it all and verifies, until a
// raw edit of one event, which `gatehouse audit verify` then names.
import { execFileSync, spawnSync } from 'node:child_process';
import { expect, Page, test } from '@playwright/test';

const ssoPort = Number(process.env.GATEHOUSE_E2E_SSO_PORT ?? 3998);
const dir = process.env.GATEHOUSE_E2E_DIR ?? '/tmp/gatehouse-e2e';
const portal = `http://127.0.0.1:${ssoPort}`;
const gatehouse = `${__dirname}/../../target/debug/gatehouse`;
const restricted = '/runbooks/payments-api-card-processor-timeouts';

test.describe.configure({ mode: 'serial' });
test.use({ baseURL: portal });

/** Signs in at the provider's own login page as `user`, starting from `path`. */
async function signInAt(page: Page, path: string, user: string) {
  await page.goto(path);
  await expect(page).toHaveURL(/\/signin\?next=/);
  await page.getByRole('link', { name: 'Sign in with single sign-on' }).click();
  await expect(page.getByRole('heading', { name: 'Test identity provider' })).toBeVisible();
  await page.getByLabel('Username').fill(user);
  await page.getByLabel('Password').fill('correct horse');
  await page.getByRole('button', { name: 'Sign in' }).click();
}

function verify(): { status: number | null; out: string } {
  const run = spawnSync(gatehouse, ['audit', 'verify'], {
    env: {
      ...process.env,
      DATABASE_URL: `sqlite://${dir}/sso.db?mode=rwc`,
      GATEHOUSE_AUDIT_KEY_FILE: `${dir}/sso-audit.key`,
      GATEHOUSE_RUNBOOKS_DIR: `${dir}/runbooks`,
      RUST_LOG: 'error',
    },
    encoding: 'utf8',
  });
  return { status: run.status, out: run.stdout + run.stderr };
}

test('a person signs in through the provider, lands where they asked, and signs out', async ({ page }) => {
  await signInAt(page, restricted, 'pat');
  await expect(page).toHaveURL(portal + restricted);
  await expect(page.locator('h1').first()).toContainText('card processor');
  await expect(page.locator('.user-name')).toHaveText('Pat Payments');
  await expect(page.locator('.badge.role')).toHaveText('Developer');
  await page.getByRole('button', { name: 'Sign out' }).click();
  // Signed out at the provider too: its confirmation, then back to our sign-in page.
  const confirm = page.getByRole('button', { name: 'Yes, sign me out' });
  if (await confirm.isVisible({ timeout: 3000 }).catch(() => false)) await confirm.click();
  await expect(page).toHaveURL(/\/signin\?signed_out=1/);
  await expect(page.getByText('You are signed out.')).toBeVisible();
  await page.goto('/');
  await expect(page).toHaveURL(/\/signin\?next=/);
});

test('a wrong password stays at the provider; the admin sees their role', async ({ page }) => {
  await page.goto('/signin?next=%2Fstatus');
  await page.getByRole('link', { name: 'Sign in with single sign-on' }).click();
  await page.getByLabel('Username').fill('ada');
  await page.getByLabel('Password').fill('wrong');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('Wrong username or password')).toBeVisible();
  await page.getByLabel('Password').fill('correct horse');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(portal + '/status');
  await expect(page.locator('.badge.role')).toHaveText('Admin');
});

test('a forged state is refused and signs nobody in', async ({ page }) => {
  await page.goto('/signin?next=%2F');
  const start = await page.getByRole('link', { name: 'Sign in with single sign-on' }).getAttribute('href');
  // Begin a real sign-in (sets the pending-login cookie), then return with another state.
  const resp = await page.request.get(portal + start!, { maxRedirects: 0 });
  expect(resp.status()).toBe(303);
  await page.goto('/auth/callback?code=forged&state=not-the-one-we-sent');
  await expect(page).toHaveURL(/\/signin\?error=sso_state/);
  await expect(page.getByRole('alert')).toContainText('could not be matched');
  await page.goto('/');
  await expect(page).toHaveURL(/\/signin\?next=/);
});

test('a restricted runbook follows the groups from the provider', async ({ browser }) => {
  const eve = await browser.newPage({ baseURL: portal });
  await signInAt(eve, '/', 'eve');
  await expect(eve.locator('.user-name')).toHaveText('Eve Engineer');
  await eve.goto(restricted);
  await expect(eve.getByText('Not found').first()).toBeVisible();
  await eve.goto('/?q=card+processor+timeouts');
  await expect(eve.locator(`a[href^="${restricted}"]`)).toHaveCount(0);
  await eve.close();

  const pat = await browser.newPage({ baseURL: portal });
  await signInAt(pat, '/?q=card+processor+timeouts', 'pat');
  await expect(pat.locator(`a[href^="${restricted}"]`).first()).toBeVisible();
  await pat.close();
});

test('the audit log shows these events, verifies, and names a raw edit', async ({ browser }) => {
  const ada = await browser.newPage({ baseURL: portal });
  await signInAt(ada, '/status', 'ada');
  const resp = await ada.request.get('/api/v1/audit/events?limit=1000');
  expect(resp.status()).toBe(200);
  const { events } = await resp.json();
  const seen = events.map((e: any) => `${e.action}:${e.actor}:${e.outcome}`);
  expect(seen).toContain('signin:pat:success');
  expect(seen).toContain('signout:pat:success');
  expect(seen).toContain('signin:ada:success');
  expect(seen).toContain('signin:unknown:failure'); // the forged state
  expect(seen).toContain('access.denied:eve:denied'); // the restricted runbook
  expect(events.every((e: any) => e.auth_method === 'oidc' || e.outcome !== 'success' || e.action !== 'signin')).toBe(true);
  // The auditor page shows the same, filtered by person.
  await ada.goto('/audit');
  await ada.getByLabel('Actor').fill('pat');
  await ada.getByRole('button', { name: 'Filter' }).click();
  const rows = ada.locator('table.audit tbody tr');
  await expect(rows.filter({ hasText: 'signout' })).toHaveCount(1);
  await expect(rows.filter({ hasText: 'signin' }).first()).toContainText('(oidc)');
  await ada.close();

  const good = verify();
  expect(good.status, good.out).toBe(0);
  expect(good.out).toContain('audit log intact');

  // Someone with database access edits event #2 behind the portal's back.
  execFileSync('python3', ['-c', `
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("DROP TRIGGER audit_events_no_update")
db.execute("UPDATE audit_events SET outcome = 'failure' WHERE seq = 2")
db.commit()
`, `${dir}/sso.db`]);
  const bad = verify();
  expect(bad.status, bad.out).toBe(1);
  expect(bad.out).toContain('FAILED at event #2');
});

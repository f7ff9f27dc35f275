// API tokens and the audit log in the browser: a developer creates a token (shown once),
// uses it from a script, sees its last use and revokes it; an auditor filters the log and
// exports it; a developer gets no audit page. Forms post without JavaScript too.
import { expect, test } from '@playwright/test';
import { signIn } from './helpers';

test('a developer creates a token, sees it once, uses it and revokes it', async ({ page, playwright, baseURL }) => {
  await signIn(page, 'developer', '/tokens');
  await expect(page.getByText('No tokens yet.')).toBeVisible();
  await page.getByLabel('Name').fill('ci-search');
  await page.locator('input[name="scopes"][value="runbooks:read"]').check();
  await page.getByLabel('Expires after').selectOption('7d');
  await page.getByRole('button', { name: 'Create token' }).click();
  const secret = (await page.locator('.token-secret').textContent())!.trim();
  expect(secret).toMatch(/^gat_[0-9a-f]{12}_[0-9a-f]{64}$/);
  const row = page.locator('tr[data-token]');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('ci-search');
  await expect(row).toContainText('never');

  // Shown once: a reload no longer has it.
  await page.reload();
  await expect(page.locator('.token-secret')).toHaveCount(0);
  await expect(page.content()).resolves.not.toContain(secret);

  // A script uses it: a fresh client with no cookies, only the token.
  const script = await playwright.request.newContext({ baseURL });
  const resp = await script.get('/api/v1/runbooks/search?q=latency', {
    headers: { authorization: `Bearer ${secret}` },
  });
  expect(resp.status()).toBe(200);
  expect((await resp.json()).total).toBeGreaterThan(0);
  await page.reload();
  await expect(row).not.toContainText('never');

  await row.getByRole('button', { name: 'Revoke' }).click();
  await expect(page.getByText('The token was revoked')).toBeVisible();
  await expect(row.locator('.badge')).toHaveText('revoked');
  const after = await script.get('/api/v1/runbooks/search?q=latency', {
    headers: { authorization: `Bearer ${secret}` },
  });
  expect(after.status()).toBe(401);
  await script.dispose();
});

test('a bad token request says what to fix', async ({ page }) => {
  await signIn(page, 'developer', '/tokens');
  await page.getByLabel('Name').fill('no-scopes');
  await page.getByRole('button', { name: 'Create token' }).click();
  await expect(page.getByRole('alert')).toContainText('at least one scope');
});

test('an auditor filters the audit log and exports it; a developer cannot', async ({ page, browser }) => {
  await signIn(page, 'security', '/audit');
  await expect(page.getByRole('link', { name: 'Audit' })).toBeVisible();
  await page.getByLabel('Action').fill('signin');
  await page.getByLabel('Actor').fill('dev:security');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/action=signin/);
  const rows = page.locator('table.audit tbody tr');
  await expect(rows.first()).toBeVisible();
  for (const text of await rows.allTextContents()) {
    expect(text).toContain('signin');
    expect(text).toContain('dev:security');
  }
  const href = await page.getByRole('link', { name: 'Export JSON Lines' }).getAttribute('href');
  expect(href).toContain('action=signin');
  const exported = await page.request.get(href!);
  expect(exported.headers()['content-type']).toContain('application/x-ndjson');
  const lines = (await exported.text()).trim().split('\n').map((l) => JSON.parse(l));
  expect(lines.length).toBeGreaterThan(0);
  expect(lines.every((e) => e.action === 'signin' && e.actor === 'dev:security')).toBe(true);

  await page.getByLabel('From').fill('yesterday');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page.getByRole('alert')).toContainText('2026-11-27');

  const dev = await browser.newPage();
  await signIn(dev, 'developer', '/');
  await expect(dev.getByRole('link', { name: 'Audit' })).toHaveCount(0);
  await dev.goto('/audit');
  await expect(dev.getByText('No access')).toBeVisible();
  await dev.close();
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('tokens and audit filters work as plain HTML forms', async ({ page }) => {
    await signIn(page, 'admin', '/tokens');
    await page.getByLabel('Name').fill('plain-html');
    await page.locator('input[name="scopes"][value="audit:read"]').check();
    await page.getByRole('button', { name: 'Create token' }).click();
    await expect(page.locator('.token-secret')).toContainText('gat_');
    await page.goto('/audit?action=token.create');
    await expect(page.locator('table.audit tbody tr').first()).toContainText('token.create');
  });
});

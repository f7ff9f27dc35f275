// A hostile payload in every input a person can fill — search, template parameters, notes,
// token names, audit filters, rejection reasons — comes back as text. The page never holds
// an element or attribute the payload made, no script of it runs, and the value is still
// shown (the test is not passing because the input was dropped). Named to run last: it
// leaves requests, drafts and tokens behind.
import { expect, Page, test } from '@playwright/test';
import { ciToken, hydrated, signIn } from './helpers';

const P =
  `"'><b data-pwn>pwn</b><img data-pwn src=x onerror="window.__pwned=1">` +
  `</textarea></title><script data-pwn>window.__pwned=2</script>` +
  `<form data-pwn id="injected" method="post" action="/requests"><button data-pwn>Approve</button></form>`;

/** Watches a page for dialogs the payload could open. */
function guard(page: Page): string[] {
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    d.dismiss().catch(() => {});
  });
  return dialogs;
}

/** Nothing the payload made is in the DOM or ran; when `shown`, its text is visible. */
async function inert(page: Page, where: string, dialogs: string[], shown = true) {
  expect(await page.evaluate(() => (window as any).__pwned), `${where}: a payload script ran`).toBeUndefined();
  expect(await page.locator('[data-pwn], #injected, [onerror]').count(), `${where}: payload markup in the DOM`).toBe(0);
  expect(dialogs, `${where}: dialogs`).toEqual([]);
  if (shown) {
    await expect(page.getByText('data-pwn', { exact: false }).first(), `${where}: the text is shown`).toBeVisible();
  }
}

test('search, templates and tokens show a hostile value as text', async ({ page }) => {
  test.setTimeout(90_000);
  const dialogs = guard(page);
  await signIn(page, 'developer');
  await page.goto(`/?q=${encodeURIComponent(P)}`);
  await hydrated(page);
  await expect(page.locator('#q')).toHaveValue(P);
  await inert(page, 'search (server-rendered)', dialogs, false);
  await page.locator('#q').fill(`${P} latency`);
  await page.waitForTimeout(500);
  await inert(page, 'search (typed, live)', dialogs, false);

  await page.goto('/templates/rust-service-ci');
  await hydrated(page);
  await page.getByLabel('Service name *').fill('checkout-api');
  await page.getByLabel('Extra actions').fill(P);
  await page.getByRole('button', { name: 'Preview' }).click();
  // Refused (not an action reference) and kept in the field to correct, as text.
  await expect(page.locator('.field.has-error').first()).toBeVisible();
  await inert(page, 'template preview', dialogs, false);
  await expect(page.getByLabel('Extra actions')).toHaveValue(P);

  await page.goto(`/templates/sandbox-environment?preview=1&name=${encodeURIComponent(P)}&ttl_hours=${encodeURIComponent(P)}`);
  await expect(page.locator('.field.has-error').first()).toBeVisible();
  await inert(page, 'template errors for crafted parameters', dialogs, false);
  await expect(page.getByLabel('Sandbox name *')).toHaveValue(P);

  await page.goto('/tokens');
  await page.getByLabel('Name').fill(P.slice(0, 100));
  await page.locator('input[name="scopes"][value="runbooks:read"]').check();
  await page.getByRole('button', { name: 'Create token' }).click();
  await expect(page.locator('.token-secret')).toBeVisible();
  await inert(page, 'token list', dialogs);
});

test('notes, drafts and their rejection reasons show a hostile value as text', async ({ page, browser, request }) => {
  test.setTimeout(90_000);
  const dialogs = guard(page);
  await signIn(page, 'developer', '/deployments/new');
  await page.getByLabel('Service').selectOption('checkout-api');
  await page.getByLabel('Version').fill('v9.9.1');
  await page.getByLabel('Notes (Markdown or plain text)').fill(`## Changes\n- ${P}\n## Rollback\n1. Roll back ${P}\n`);
  await page.getByRole('button', { name: 'Submit notes' }).click();
  await expect(page).toHaveURL(/\/deployments\/[0-9a-f-]{36}$/);
  await inert(page, 'deployment notes', dialogs);

  const posted = await request.post('/api/v1/deployments', {
    headers: { Authorization: `Bearer ${ciToken()}` },
    data: { service: 'checkout-api', environment: 'production', version: 'v9.9.2', body: `## Rollback\n1. Undo ${P}\n` },
  });
  expect(posted.status()).toBe(201);
  const draft = (await posted.json()).drafts.find((d: { runbook: string }) => d.runbook === 'checkout-api-high-latency');
  const owner = await (await browser.newContext()).newPage();
  const ownerDialogs = guard(owner);
  await signIn(owner, 'oncall', `/drafts/${draft.id}`);
  await hydrated(owner);
  await inert(owner, 'draft editor and diff', ownerDialogs);
  await owner.getByLabel('Reason for rejecting').fill(P.slice(0, 400));
  await owner.getByRole('button', { name: 'Reject' }).click();
  await expect(owner.locator('.notice.warn').first()).toContainText('Rejected by');
  await inert(owner, 'rejected draft', ownerDialogs);
  await owner.goto('/drafts');
  await inert(owner, 'draft queue', ownerDialogs, false);
});

test('a rejection reason and the audit filters show a hostile value as text', async ({ browser }) => {
  test.setTimeout(90_000);
  const dev = await (await browser.newContext()).newPage();
  const devDialogs = guard(dev);
  await signIn(dev, 'developer', '/templates/production-deploy');
  await dev.getByLabel('Service name *', { exact: true }).fill('inventory-api');
  await dev.getByLabel('Image repository *', { exact: true }).fill('registry.example.com/inventory/inventory-api');
  await dev.getByRole('button', { name: 'Preview' }).click();
  await dev.getByRole('button', { name: 'Submit for approval' }).click();
  await expect(dev).toHaveURL(/\/requests\/[0-9a-f-]{36}$/);
  const url = dev.url();

  const approver = await (await browser.newContext()).newPage();
  const approverDialogs = guard(approver);
  await signIn(approver, 'approver', new URL(url).pathname);
  await approver.getByLabel('Reason for rejecting (the requester reads it)').fill(P);
  await approver.getByRole('button', { name: 'Reject' }).click();
  await expect(approver.locator('.badge.status-rejected')).toHaveText('rejected');
  await inert(approver, 'rejected request (approver)', approverDialogs);
  await dev.goto(url);
  await hydrated(dev);
  await inert(dev, 'rejected request (requester)', devDialogs);

  const auditor = await (await browser.newContext()).newPage();
  const auditorDialogs = guard(auditor);
  await signIn(auditor, 'security', '/audit');
  await auditor.goto(`/audit?action=${encodeURIComponent(P)}&actor=${encodeURIComponent(P)}`);
  await inert(auditor, 'audit filters', auditorDialogs, false);
  await expect(auditor.getByLabel('Action')).toHaveValue(P);
  await auditor.goto('/audit?action=request.reject');
  await inert(auditor, 'audit events holding the reason', auditorDialogs, false);
});

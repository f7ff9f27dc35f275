// Requests in the browser, as the issue describes them: a tier-3 sandbox is approved at
// once; a production deploy is tier 1, its requester cannot approve it, and an approver and
// a security reviewer approve it from their inboxes — all with plain forms.
import { spawnSync } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { expect, Page, test } from '@playwright/test';
import { hydrated, signIn } from './helpers';
import { webhookSecret } from '../webhooks/shared';

const dir = process.env.GATEHOUSE_E2E_DIR ?? '/tmp/gatehouse-e2e';
const gatehouse = `${__dirname}/../../target/debug/gatehouse`;

/** `gatehouse bundle verify FILE` with the portal's key: exit status and output. */
function verify(file: string): { status: number | null; out: string } {
  const run = spawnSync(gatehouse, ['bundle', 'verify', file], {
    env: { ...process.env, GATEHOUSE_AUDIT_KEY_FILE: `${dir}/gatehouse-audit.key`, RUST_LOG: 'error' },
    encoding: 'utf8',
  });
  return { status: run.status, out: run.stdout + run.stderr };
}

/** Downloads the request's bundle, checks it verifies, and that a tampered copy does not. */
async function downloadAndVerify(page: Page, name: string) {
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download the signed bundle' }).click();
  const file = `${dir}/${name}.bundle.json`;
  await (await download).saveAs(file);
  const ok = verify(file);
  expect(ok.out).toContain('OK: bundle sha256:');
  expect(ok.status).toBe(0);
  const bundle = JSON.parse(readFileSync(file, 'utf8'));
  bundle.files[0].content += '\n# tampered\n';
  writeFileSync(`${dir}/${name}-tampered.bundle.json`, JSON.stringify(bundle));
  const bad = verify(`${dir}/${name}-tampered.bundle.json`);
  expect(bad.status).toBe(1);
  expect(bad.out).toContain('does not match its sha256');
  return ok.out;
}

async function preview(page: Page, template: string, fields: Record<string, string>) {
  await page.goto(`/templates/${template}`);
  for (const [label, value] of Object.entries(fields)) {
    const field = page.getByLabel(label, { exact: true });
    if ((await field.evaluate((el) => el.tagName)) === 'SELECT') await field.selectOption(value);
    else await field.fill(value);
  }
  await page.getByRole('button', { name: 'Preview' }).click();
}

test('a developer gets a tier-3 sandbox at once and downloads its signed bundle', async ({ page }) => {
  await signIn(page, 'developer', '/templates');
  await hydrated(page);
  await preview(page, 'sandbox-environment', { 'Sandbox name *': 'e2e-sandbox' });
  await expect(page.locator('.verdict')).toContainText('Policy passes.');
  await page.getByRole('button', { name: 'Request it (approved at once)' }).click();
  await expect(page).toHaveURL(/\/requests\/[0-9a-f-]{36}$/);
  await expect(page.locator('.badge.status-fulfilled')).toHaveText('fulfilled');
  await expect(page.locator('.timeline')).toContainText('approved automatically');
  const out = await downloadAndVerify(page, 'sandbox');
  expect(out).toContain('approvers: automatic (tier 3, policy passed)');
  await expect(page.locator('.request-rule')).toContainText('Sandbox lives until');
  await page.goto('/requests');
  await expect(page.locator('.requests-table')).toContainText('Sandbox environment for e2e-sandbox');
});

test('a production deploy needs an approver and a security reviewer, never its requester', async ({ browser }) => {
  const dev = await (await browser.newContext()).newPage();
  await signIn(dev, 'developer', '/templates');
  await preview(dev, 'production-deploy', {
    'Service name *': 'checkout-api',
    'Image repository *': 'registry.example.com/payments/checkout-api',
  });
  await expect(dev.locator('.verdict')).toContainText('Tier 1');
  await expect(dev.locator('.verdict')).toContainText('at least one of them a security reviewer');
  await dev.getByRole('button', { name: 'Submit for approval' }).click();
  await expect(dev).toHaveURL(/\/requests\/[0-9a-f-]{36}$/);
  const url = dev.url();
  await expect(dev.locator('.badge.status-pending')).toHaveText('pending');
  await expect(dev.getByRole('button', { name: 'Approve' })).toHaveCount(0);
  await expect(dev.getByRole('button', { name: 'Cancel this request' })).toBeVisible();

  // The approver, without JavaScript, from the inbox.
  const approverContext = await browser.newContext({ javaScriptEnabled: false });
  const approver = await approverContext.newPage();
  await signIn(approver, 'approver', '/approvals');
  const row = approver.locator('.requests-table tr', { hasText: 'Deploy pipeline (staging and production) for checkout-api' }).last();
  await expect(row).toContainText('two approvals, one of them by a security reviewer');
  await row.getByRole('link').click();
  await approver.getByRole('button', { name: 'Approve' }).click();
  await expect(approver.locator('.request-rule')).toContainText('Still needed: an approval by a security reviewer.');

  const security = await (await browser.newContext()).newPage();
  await signIn(security, 'security', '/approvals');
  await hydrated(security);
  await security.locator('.requests-table tr', { hasText: 'for checkout-api' }).last().getByRole('link').click();
  await security.getByRole('button', { name: 'Approve' }).click();
  await expect(security.locator('.badge.status-fulfilled')).toHaveText('fulfilled');

  await dev.goto(url);
  await expect(dev.locator('.badge.status-fulfilled')).toHaveText('fulfilled');
  await expect(dev.locator('.timeline')).toContainText('Approved as approver.');
  await expect(dev.locator('.timeline')).toContainText('Approved as security-reviewer.');
  const out = await downloadAndVerify(dev, 'deploy');
  expect(out).toContain('template:  production-deploy@3.0.1');
  expect(out).toContain('Avery Approver (approver), Sam Security (security-reviewer)');
});

test('the request page shows its notifications delivered, each signed for the receiver', async ({ page, request }) => {
  await signIn(page, 'developer', '/templates');
  await preview(page, 'sandbox-environment', { 'Sandbox name *': 'e2e-hooks' });
  await page.getByRole('button', { name: 'Request it (approved at once)' }).click();
  await expect(page).toHaveURL(/\/requests\/[0-9a-f-]{36}$/);
  const id = page.url().split('/').pop()!;
  // Delivery happens in the background (the receiver refuses its very first post, so one
  // of them may need a retry): reload until every row is delivered.
  await expect(async () => {
    await page.reload();
    await expect(page.locator('table.deliveries tbody tr')).toHaveCount(3);
    await expect(page.locator('table.deliveries .badge.delivery-delivered')).toHaveCount(3);
  }).toPass({ timeout: 30_000 });
  const table = page.locator('table.deliveries');
  for (const event of ['request.submitted', 'request.approved', 'request.fulfilled']) {
    await expect(table).toContainText(event);
  }
  const hookPort = process.env.GATEHOUSE_E2E_HOOK_PORT ?? '3996';
  await expect(table).toContainText(`http://127.0.0.1:${hookPort}`);
  expect(await page.content()).not.toContain('e2e-path-token');

  const received: { headers: Record<string, string>; body: string; status: number }[] =
    await (await request.get(`http://127.0.0.1:${hookPort}/received`)).json();
  const ours = received.filter((r) => r.status === 200 && JSON.parse(r.body).request.id === id);
  expect(ours.map((r) => r.headers['x-gatehouse-event']).sort())
    .toEqual(['request.approved', 'request.fulfilled', 'request.submitted']);
  for (const r of ours) {
    const expected = Buffer.from('sha256=' + createHmac('sha256', webhookSecret)
      .update(`${r.headers['x-gatehouse-timestamp']}.${r.headers['x-gatehouse-delivery']}.${r.body}`).digest('hex'));
    const given = Buffer.from(r.headers['x-gatehouse-signature']);
    expect(given.length === expected.length && timingSafeEqual(given, expected)).toBe(true);
  }
});

test('an admin sends a failed notification again once the receiver is mended', async ({ page, browser, request }) => {
  // Not the developer persona, whose sandbox quota the other tests use; a fresh name on a retry.
  const name = `e2e-broken-${Date.now().toString(36)}`;
  await signIn(page, 'oncall', '/templates');
  await preview(page, 'sandbox-environment', { 'Sandbox name *': name });
  await page.getByRole('button', { name: 'Request it (approved at once)' }).click();
  await expect(page).toHaveURL(/\/requests\/[0-9a-f-]{36}$/);
  const url = page.url();
  // The receiver refuses everything about this request: both attempts of each event fail.
  await expect(async () => {
    await page.reload();
    await expect(page.locator('table.deliveries .badge.delivery-failed')).toHaveCount(3);
  }).toPass({ timeout: 30_000 });
  await expect(page.locator('table.deliveries')).toContainText('The receiver answered HTTP 500.');
  // The requester may not send them again; there is no button for them.
  await expect(page.getByRole('button', { name: 'Send again' })).toHaveCount(0);

  const hookPort = process.env.GATEHOUSE_E2E_HOOK_PORT ?? '3996';
  expect((await request.post(`http://127.0.0.1:${hookPort}/mend?name=${name}`)).status()).toBe(204);
  const context = await browser.newContext();
  try {
    const admin = await context.newPage();
    await signIn(admin, 'admin', new URL(url).pathname);
    await hydrated(admin);
    const rows = admin.locator('table.deliveries tbody tr');
    await expect(admin.getByRole('button', { name: 'Send again' })).toHaveCount(3);
    await rows.filter({ hasText: 'request.submitted' }).getByRole('button', { name: 'Send again' }).click();
    await expect(async () => {
      await admin.reload();
      await expect(rows.filter({ hasText: 'request.submitted' }).locator('.badge.delivery-delivered')).toHaveCount(1);
    }).toPass({ timeout: 30_000 });
    await expect(admin.getByRole('button', { name: 'Send again' })).toHaveCount(2);
  } finally {
    await context.close();
  }
});

// From a CI call to an accepted runbook revision: notes holding four secrets become a draft
// in the owner's queue with all four masked; the owner edits and accepts it; search finds
// the new text; the history shows the revision and its deployment; and none of the four
// values is anywhere — pages, database file, index directory, runbook files, logs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect, test } from '@playwright/test';
import { ciToken, hydrated, signIn } from './helpers';

const dir = process.env.GATEHOUSE_E2E_DIR ?? '/tmp/gatehouse-e2e';

const AWS_KEY = 'AKIAZ7QXW3RT5YU2NB6M';
const DB_PASSWORD = 'Sw0rdfish-Lagoon-77';
const HOST = 'quokka-db-3.prod.internal';
const EMAIL = 'mia.wombat@checkout.acme-corp.io';
const SECRETS = [AWS_KEY, DB_PASSWORD, HOST, EMAIL];
const RUNBOOK = 'checkout-api-high-latency';

/** Every file's bytes under `p`, as text. */
function bytesUnder(p: string): string {
  if (!fs.existsSync(p)) return '';
  if (fs.statSync(p).isFile()) return fs.readFileSync(p).toString('latin1');
  return fs.readdirSync(p).map((name) => bytesUnder(path.join(p, name))).join('\n');
}

test('CI notes become a masked draft that the owner edits and accepts', async ({ page, request }) => {
  test.setTimeout(60_000);
  const token = ciToken();
  const posted = await request.post('/api/v1/deployments', {
    headers: { Authorization: `Bearer ${token}`, 'Idempotency-Key': `e2e-${Date.now()}` },
    data: {
      service: 'checkout-api',
      environment: 'production',
      version: 'v7.3.0',
      body:
        `## Changes\n- Quote cache now warms on start\n` +
        `## Configuration\n- AWS_ACCESS_KEY_ID=${AWS_KEY}\n- DATABASE_URL=postgres://ledger:${DB_PASSWORD}@${HOST}:5432/ledger\n` +
        `## Rollback\n1. kubectl rollout undo deploy/checkout-api\n` +
        `## Known issues\nWrite to ${EMAIL} when quotes look stale.\n`,
    },
  });
  expect(posted.status()).toBe(201);
  const answer = await posted.json();
  const draft = answer.drafts.find((d: { runbook: string }) => d.runbook === RUNBOOK);
  expect(draft).toBeTruthy();

  await signIn(page, 'oncall', '/drafts');
  const link = page.locator(`a[href="/drafts/${draft.id}"]`);
  await expect(link).toBeVisible();
  await link.click();
  await expect(page).toHaveURL(new RegExp(`/drafts/${draft.id}$`));
  await hydrated(page);
  await expect(page.locator('table.diff')).toContainText('Rolling back v7.3.0');
  for (const secret of SECRETS) expect(await page.content()).not.toContain(secret);

  const editor = page.getByLabel('Proposed runbook (edit before accepting)');
  const proposed = await editor.inputValue();
  await editor.fill(proposed.replace('Quote cache now warms on start', 'Quote cache now warms on start, checked by the payments on-call'));
  await page.getByRole('button', { name: 'Accept' }).click();
  await expect(page.locator('.notice.success')).toContainText('Accepted by');

  await page.goto('/?q=%22checked+by+the+payments+on-call%22');
  await expect(page.locator('li.result-group').first().locator('h2')).toHaveText('Checkout API high latency');

  await page.goto(`/runbooks/${RUNBOOK}/history`);
  const revision = page.locator('li.revision').first();
  await expect(revision).toContainText('Accepted by Oli On-call');
  await expect(revision.locator(`a[href="/deployments/${answer.id}"]`)).toBeVisible();
  for (const secret of SECRETS) expect(await page.content()).not.toContain(secret);

  const everywhere = [
    bytesUnder(`${dir}/gatehouse.db`),
    bytesUnder(`${dir}/gatehouse.db-wal`),
    bytesUnder(`${dir}/gatehouse-index`),
    bytesUnder(`${dir}/runbooks`),
    bytesUnder(`${dir}/gatehouse.log`),
  ];
  expect(everywhere[0].length + everywhere[1].length).toBeGreaterThan(0);
  expect(everywhere[2].length).toBeGreaterThan(0);
  expect(everywhere[4]).toContain('deployment');
  for (const text of everywhere) {
    for (const secret of SECRETS) expect(text.toLowerCase()).not.toContain(secret.toLowerCase());
  }
  // The index keeps words, not text: no word of any of the four values is searchable.
  for (const word of ['AKIAZ7QXW3RT5YU2NB6M', 'Sw0rdfish', 'quokka', 'wombat']) {
    const found = await page.request.get(`/api/v1/runbooks/search?q=${word}`);
    expect(found.status()).toBe(200);
    expect((await found.json()).total).toBe(0);
  }
  const control = await page.request.get('/api/v1/runbooks/search?q=%22checked+by+the+payments+on-call%22');
  expect((await control.json()).total).toBeGreaterThan(0);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a draft is rejected with a reason by a plain form post', async ({ page, request }) => {
    const token = ciToken();
    const posted = await request.post('/api/v1/deployments?service=checkout-api', {
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'text/plain' },
      data: 'Version: v7.4.0\n\n## Rollback\n- helm rollback checkout-api 12\n',
    });
    expect(posted.status()).toBe(201);
    const { drafts } = await posted.json();
    const draft = drafts.find((d: { runbook: string }) => d.runbook === RUNBOOK);
    await signIn(page, 'oncall', `/drafts/${draft.id}`);
    await page.getByLabel('Reason for rejecting').fill('Rollback goes through Argo, not helm');
    await page.getByRole('button', { name: 'Reject' }).click();
    await expect(page).toHaveURL(new RegExp(`/drafts/${draft.id}$`));
    await expect(page.locator('.notice.warn').first()).toContainText('Rejected by');
    await expect(page.locator('body')).toContainText('Rollback goes through Argo, not helm');
  });
});

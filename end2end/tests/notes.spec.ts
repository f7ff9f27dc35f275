// Deployment notes pasted in the portal are sanitized before they are stored: the person
// sees what was masked, and the stored note never shows the values — with or without
// JavaScript.
import { expect, Page, test } from '@playwright/test';
import { hydrated, signIn } from './helpers';

const AWS_KEY = 'AKIAQ3EGRXC7N5V2PJ4T';
const EMAIL = 'dana.developer@payments.acme-corp.io';

async function pasteNotes(page: Page) {
  await page.getByLabel('Service').selectOption('checkout-api');
  await page.getByLabel('Version').fill('v2.14.0');
  await page.getByLabel('Notes (Markdown or plain text)').fill(
    `## Changes\n- Retry budget for the card processor\n## Configuration\n- AWS_ACCESS_KEY_ID=${AWS_KEY}\n## Known issues\nPing ${EMAIL}.`,
  );
  await page.getByRole('button', { name: 'Submit notes' }).click();
}

async function expectSanitized(page: Page) {
  await expect(page).toHaveURL(/\/deployments\/[0-9a-f-]{36}$/);
  await expect(page.locator('h1')).toContainText('checkout-api v2.14.0');
  const report = page.locator('.redaction-report');
  await expect(report).toContainText('2 value(s) were masked');
  await expect(report).toContainText('aws-access-key');
  await expect(report).toContainText('email');
  await expect(page.locator('.notes-body')).toContainText('Retry budget for the card processor');
  const html = await page.content();
  expect(html).not.toContain(AWS_KEY);
  expect(html).not.toContain(EMAIL);
}

test('pasted notes are masked before they are stored, and the report says what', async ({ page }) => {
  await signIn(page, 'developer', '/deployments/new');
  await hydrated(page);
  await pasteNotes(page);
  await expectSanitized(page);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the notes form posts as plain HTML', async ({ page }) => {
    await signIn(page, 'oncall', '/deployments/new');
    await pasteNotes(page);
    await expectSanitized(page);
  });
});

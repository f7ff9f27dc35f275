// The template catalog in the browser: find a template, fill its generated form, and see
// at once what policy says, with the rule and the fix, before anything is submitted.
import { expect, test } from '@playwright/test';
import { hydrated, signIn } from './helpers';

test('a developer finds the sandbox template and its preview is tier 3 at once', async ({ page }) => {
  await signIn(page, 'developer', '/templates');
  await hydrated(page);
  await page.getByLabel('Kind').selectOption('sandbox');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page.locator('.results-meta')).toContainText('1 of 6 template(s)');
  await page.getByRole('link', { name: 'Sandbox environment' }).click();
  await expect(page.locator('h1')).toHaveText('Sandbox environment');
  await page.getByLabel('Sandbox name *').fill('try-pgbouncer');
  await page.getByLabel('Time to live (hours)').fill('24');
  await page.getByRole('button', { name: 'Preview' }).click();
  const verdict = page.locator('.verdict');
  await expect(verdict).toContainText('Policy passes.');
  await expect(verdict).toContainText('Tier 3');
  await expect(verdict).toContainText('Approved automatically');
  await expect(page.locator('.rendered-file')).toContainText('sandboxes/try-pgbouncer.yaml');
  await expect(page.locator('.rendered-file pre')).toContainText('ttlHours: 24');
});

test('a request that breaks policy is blocked in the preview with the rule and the fix, without JavaScript too', async ({ browser }) => {
  for (const javaScriptEnabled of [true, false]) {
    const context = await browser.newContext({ javaScriptEnabled });
    const page = await context.newPage();
    await signIn(page, 'developer', '/templates/rust-service-ci');
    if (javaScriptEnabled) await hydrated(page);
    await page.getByLabel('Service name *').fill('checkout-api');
    await page.getByLabel('Extra actions').fill('Swatinem/rust-cache@v2');
    await page.getByRole('button', { name: 'Preview' }).click();
    const verdict = page.locator('.verdict');
    await expect(verdict).toContainText('Blocked by policy');
    await expect(verdict).toContainText('actions_pinned/actions_pinned_to_sha');
    await expect(verdict).toContainText('`Swatinem/rust-cache@v2` is not pinned to a commit SHA');
    await expect(verdict).toContainText('How to fix:');
    // The form keeps what was typed, ready to correct.
    await expect(page.getByLabel('Extra actions')).toHaveValue('Swatinem/rust-cache@v2');
    await context.close();
  }
});

test('the browser refuses a value the schema forbids before it is sent, and the server explains it', async ({ page }) => {
  await signIn(page, 'developer', '/templates/sandbox-environment');
  await page.getByLabel('Sandbox name *').fill('Bad Name!');
  await page.getByRole('button', { name: 'Preview' }).click();
  // The pattern attribute stops the form: still no preview.
  await expect(page).not.toHaveURL(/preview=1/);
  expect(await page.getByLabel('Sandbox name *').evaluate((el: HTMLInputElement) => el.validity.patternMismatch)).toBe(true);
  // Sent anyway (a crafted URL), the server marks the field.
  await page.goto('/templates/sandbox-environment?preview=1&name=Bad+Name%21&ttl_hours=500');
  await expect(page.locator('.field.has-error')).toHaveCount(2);
  await expect(page.locator('.field-error').first()).toContainText('must match');
  await expect(page.getByText('must be from 1 to 168')).toBeVisible();
});

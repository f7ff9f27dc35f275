import { test, expect } from '@playwright/test';
import { signIn, hydrated } from './helpers';

test('an on-call engineer finds a runbook despite a typo and lands on the section', async ({ page }) => {
  await signIn(page, 'developer');
  await page.goto('/');
  await hydrated(page);
  const box = page.locator('#q');
  await expect(box).toBeFocused();
  await box.pressSequentially('replcation lag');
  // Results follow the typing once hydrated: no Enter needed.
  await expect(page).toHaveURL(/q=replcation\+lag/);
  const first = page.locator('li.result-group').first();
  await expect(first.locator('h2.result-title')).toHaveText('PostgreSQL primary replication lag');
  const section = first.locator('a.section-link').first();
  const href = await section.getAttribute('href');
  expect(href).toMatch(/^\/runbooks\/postgres-primary-replication-lag#/);
  await section.click();
  await expect(page).toHaveURL(new RegExp(`${href!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
  const anchor = decodeURIComponent(href!.split('#')[1]);
  const heading = page.locator(`[id="${anchor}"]`);
  await expect(heading).toBeVisible();
  await expect(heading).toBeInViewport();
  expect(await page.evaluate(() => document.querySelector(':target')?.id)).toBe(anchor);
});

test('slash focuses the search box from anywhere', async ({ page }) => {
  await signIn(page, 'developer');
  await page.goto('/runbooks/checkout-api-high-latency');
  await hydrated(page);
  await page.keyboard.press('/');
  await expect(page).toHaveURL(/\/$/);
  await expect(page.locator('#q')).toBeFocused();
  await page.locator('#q').fill('ingress');
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('/');
  await expect(page.locator('#q')).toBeFocused();
});

test('a restricted runbook is invisible outside its group and visible inside it', async ({ page, browser }) => {
  await signIn(page, 'developer');
  await page.goto('/?q=card+processor+timeouts');
  await expect(page.locator('.results-meta, .empty').first()).toBeVisible();
  await expect(page.getByText('Payments API card processor timeouts')).toHaveCount(0);
  const direct = await page.goto('/runbooks/payments-api-card-processor-timeouts');
  expect(direct?.status()).toBe(404);
  await expect(page.getByText('Page not found')).toBeVisible();

  const oncall = await browser.newPage();
  await signIn(oncall, 'oncall');
  await oncall.goto('/?q=card+processor+timeouts');
  await expect(oncall.locator('li.result-group').first().locator('h2')).toHaveText('Payments API card processor timeouts');
  await expect(oncall.locator('li.result-group').first().locator('.badge.restricted')).toBeVisible();
  const page2 = await oncall.goto('/runbooks/payments-api-card-processor-timeouts');
  expect(page2?.status()).toBe(200);
  await oncall.close();
});

test('an alert link redirects to the section for that alert', async ({ page }) => {
  await signIn(page, 'developer');
  await page.goto('/runbooks/alerts/kafkaconsumerlaghigh');
  await expect(page).toHaveURL(/\/runbooks\/orders-pipeline-kafka-consumer-lag#kafkaconsumerlaghigh$/);
  await expect(page.locator('[id="kafkaconsumerlaghigh"]')).toBeInViewport();
  await page.goto('/runbooks/alerts/NoSuchAlertAtAll');
  await expect(page).toHaveURL(/\/\?q=NoSuchAlertAtAll$/);
  await expect(page.getByText('No matching runbook')).toBeVisible();
});

test('a hostile runbook renders inert', async ({ page }) => {
  const dialogs: string[] = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  await signIn(page, 'developer');
  await page.goto('/runbooks/hostile-runbook');
  await hydrated(page);
  await page.mouse.move(300, 300);
  await page.getByText('raw link').click().catch(() => {});
  await page.getByText('Click for details').click().catch(() => {});
  expect(await page.evaluate(() => (window as any).__pwned)).toBeUndefined();
  expect(await page.locator('.prose script, .prose iframe, .prose form, .prose [onerror], .prose [onmouseover]').count()).toBe(0);
  expect(await page.locator('.prose a[href^="javascript"]').count()).toBe(0);
  expect(dialogs).toEqual([]);
});

test('code blocks get a working copy button once hydrated', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await signIn(page, 'developer');
  await page.goto('/runbooks/checkout-api-high-latency');
  await hydrated(page);
  const button = page.locator('.codeblock button.copy').first();
  await expect(button).toBeVisible();
  await button.click();
  await expect(button).toHaveText('Copied');
  const code = await page.locator('.codeblock pre code').first().textContent();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(code);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('sign-in and the search form work as plain HTML', async ({ page }) => {
    await page.goto('/');
    await expect(page).toHaveURL(/\/signin\?next=%2F$/);
    await page.click('button[data-persona="oncall"]');
    await expect(page).toHaveURL(/\/$/);
    await page.fill('#q', 'vault sealed');
    await page.selectOption('select[name="service"]', '');
    await page.click('button[type="submit"]:has-text("Search")');
    await expect(page).toHaveURL(/q=vault\+sealed/);
    await expect(page.locator('li.result-group').first()).toBeVisible();
    await page.goto('/runbooks/checkout-api-high-latency');
    await expect(page.locator('.codeblock button.copy').first()).toBeHidden();
    await expect(page.locator('h1').first()).toHaveText('Checkout API high latency');
  });
});

import { expect, Page } from '@playwright/test';

/** Signs in with the development sign-in as one of the demo personas. */
export async function signIn(page: Page, persona: 'developer' | 'approver' | 'security' | 'oncall', next = '/') {
  await page.goto(`/signin?next=${encodeURIComponent(next)}`);
  await expect(page.getByText('Development sign-in').first()).toBeVisible();
  await page.click(`button[data-persona="${persona}"]`);
  await page.waitForURL((url) => url.pathname + url.search + url.hash === next || url.pathname === next);
}

/** Waits until the WASM bundle has hydrated the page (copy buttons and live search need it). */
export async function hydrated(page: Page) {
  await page.waitForFunction(() => (window as any).__gatehouse_hydrated === true, null, { timeout: 15_000 });
}

/**
 * Signing in to the browser-served mode in a real browser: without the printed link a browser
 * sees only where to find it (and never a key); the link signs it in once with an HttpOnly
 * cookie and leaves the key out of the address; used again it is refused, and the new link the
 * server printed signs in another browser.
 */
import { test, expect } from '@playwright/test';
import { latestLink, nextLink } from './served-app';

test.beforeEach(({ browserName }, info) => {
  test.skip(info.project.name !== 'browser' || browserName !== 'chromium', 'browser-served mode only');
});

test('the printed link signs a browser in once; without it the page holds no key', async ({ browser }) => {
  const link = latestLink();
  const key = new URL(link).searchParams.get('token')!;
  const base = new URL('/', link).href;

  const stranger = await browser.newContext();
  const page = await stranger.newPage();
  const landing = await page.goto(base);
  expect(landing!.status()).toBe(401);
  await expect(page.getByText('Open the link printed in your terminal')).toBeVisible();
  expect(await page.content()).not.toContain(key);
  await expect(page.locator('.toolbar')).toHaveCount(0);

  // The link: redirected to the app without the key in the address; the cookie is out of the page's reach.
  await page.goto(link);
  expect(page.url()).toBe(base);
  await page.waitForSelector('.toolbar');
  expect(await page.evaluate(() => document.cookie)).toBe('');
  expect(await page.content()).not.toContain(key);
  const [cookie] = await stranger.cookies();
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
  expect(cookie.value).not.toBe(key);

  // Used once: another browser opening it is refused; the link the server printed next works.
  const other = await browser.newContext();
  const second = await other.newPage();
  const refused = await second.goto(link);
  expect(refused!.status()).toBe(403);
  await expect(second.getByText('That link was already used or is not valid')).toBeVisible();
  const fresh = await nextLink(link);
  await second.goto(fresh);
  await second.waitForSelector('.toolbar');
  // Leave an unused link for the other specs' sign-in.
  await nextLink(fresh);
  await stranger.close();
  await other.close();
});

import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { PASSWORDS, type ConsoleUser } from './console-app';

/** Debian's chromium, which .ci/run installs; playwright never downloads a browser here. */
export const CHROMIUM = '/usr/bin/chromium';
/** Where each page's screenshot is saved (git-ignored). */
export const ARTIFACTS = resolve(__dirname, '../../../test-artifacts/console');

/** Headless, with the flags that keep it off this closed network (machines/node.md). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A fresh context (its own cookies) at 1280 px, or the width asked for. */
export function newContext(browser: Browser, width = 1280): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width, height: width >= 1000 ? 900 : 800 }, acceptDownloads: true, locale: 'kk-KZ' });
}

/** Saves a full-page screenshot as test-artifacts/console/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Clicks a form's button and waits for the page the form leads to; returns its status. */
export async function submit(page: Page, button: Locator): Promise<number> {
  const answer = page.waitForResponse((r) => r.request().isNavigationRequest() && r.request().method() === 'POST');
  await button.click();
  const status = (await answer).status();
  await page.waitForLoadState('load');
  return status;
}

/** Signs in through the form; returns the status of the form's answer (303 on success). */
export async function signIn(page: Page, url: string, user: string, password: string = PASSWORDS[user as ConsoleUser]): Promise<number> {
  await page.goto(`${url}/console/sign-in`);
  await page.locator('#name').fill(user);
  await page.locator('#password').fill(password);
  return submit(page, page.locator('form.sign-in button[type=submit]'));
}

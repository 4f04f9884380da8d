import type { Browser } from 'playwright-core';
import { ApiKeys } from '../../apps/ledger/src/auth/api-keys';
import { launchBrowser, newContext, screenshot, signIn, submit } from './support/browser';
import { PASSWORDS, startConsoleApp, type ConsoleApp } from './support/console-app';

describe('console: signing in and out (in chromium)', () => {
  let browser: Browser;
  let app: ConsoleApp;
  beforeAll(async () => {
    [browser, app] = await Promise.all([launchBrowser(), startConsoleApp()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('sends a visitor without a session to the sign-in form, and back to the page asked for after signing in', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(`${app.url}/console/overview?lang=en`);
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');
    await expect(page.locator('h1').textContent()).resolves.toBe('Sign in');
    await screenshot(page, 'sign-in');
    await page.locator('#name').fill('hr-director');
    await page.locator('#password').fill(PASSWORDS['hr-director']);
    expect(await submit(page, page.locator('form.sign-in button'))).toBe(303);
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe('/console/overview?lang=en');
    await expect(page.locator('h1').textContent()).resolves.toBe('Overview');
    await expect(page.locator('.who').textContent()).resolves.toContain('hr-director');
    await context.close();
  });

  it('refuses a wrong password, an unknown name and a key that may not sign in with one and the same message', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const messages: string[] = [];
    for (const [name, password] of [['hr-director', 'not-the-password!'], ['nobody-here', 'whatever-password'], ['ops', 'whatever-password']] as const) {
      expect(await signIn(page, app.url, name, password)).toBe(401);
      expect(new URL(page.url()).pathname).toBe('/console/sign-in');
      messages.push((await page.locator('[role=alert]').textContent()) ?? '');
    }
    await screenshot(page, 'sign-in-failed');
    expect(new Set(messages).size).toBe(1);
    expect(messages[0]).toMatch(/Кіру сәтсіз/);
    // Nothing was signed in: the console still asks for the form.
    await page.goto(`${app.url}/console/overview`);
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');
    await context.close();
  });

  it('sets the session cookie HttpOnly, SameSite=Strict, on /console only, and not Secure over plain HTTP', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, app.url, 'hr-director');
    const cookie = (await context.cookies()).find((c) => c.name === 'derbes_console');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/console', secure: false });
    expect(Buffer.from(cookie?.value ?? '', 'base64url')).toHaveLength(32);
    expect(await page.evaluate('document.cookie')).not.toContain('derbes_console');
    await context.close();
  });

  it('refuses a form sent without its token, or with another, with a 403 page and changes nothing', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, app.url, 'hr-director');
    await page.goto(`${app.url}/console/overview?lang=en`);
    await page.locator('form.sign-out input[name=_csrf]').evaluate((input: { remove(): void }) => input.remove());
    expect(await submit(page, page.locator('form.sign-out button'))).toBe(403);
    await expect(page.locator('[role=alert]').textContent()).resolves.toContain('This form cannot be accepted');
    await screenshot(page, 'csrf-refused');
    await page.goto(`${app.url}/console/overview`);
    await page.locator('form.sign-out input[name=_csrf]').evaluate((input: { value: string }) => { input.value = 'x'.repeat(43); });
    expect(await submit(page, page.locator('form.sign-out button'))).toBe(403);
    // Still signed in: the refused sign-out did nothing.
    await page.goto(`${app.url}/console/overview`);
    expect(new URL(page.url()).pathname).toBe('/console/overview');
    await context.close();
  });

  it('refuses the sign-in form itself without its token', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(`${app.url}/console/sign-in`);
    await page.locator('form.sign-in input[name=_csrf]').evaluate((input: { remove(): void }) => input.remove());
    await page.locator('#name').fill('hr-director');
    await page.locator('#password').fill(PASSWORDS['hr-director']);
    expect(await submit(page, page.locator('form.sign-in button'))).toBe(403);
    expect(await context.cookies()).not.toContainEqual(expect.objectContaining({ name: 'derbes_console', value: expect.any(String), httpOnly: false }));
    await page.goto(`${app.url}/console/overview`);
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');
    await context.close();
  });

  it('ends the session on sign-out: its cookie opens nothing afterwards', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, app.url, 'hr-director');
    const before = (await context.cookies()).find((c) => c.name === 'derbes_console');
    expect(await submit(page, page.locator('form.sign-out button'))).toBe(303);
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');
    await screenshot(page, 'signed-out');
    const replay = await newContext(browser);
    await replay.addCookies([{ ...(before as Parameters<typeof replay.addCookies>[0][0]) }]);
    const again = await replay.newPage();
    await again.goto(`${app.url}/console/overview`);
    expect(new URL(again.url()).pathname).toBe('/console/sign-in');
    await Promise.all([context.close(), replay.close()]);
  });

  it('signs out after 30 minutes without a request, and when the key is revoked', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, app.url, 'auditor-1');
    expect(new URL(page.url()).pathname).toBe('/console/overview');
    app.t.clock.at = new Date(app.t.clock.at.getTime() + 31 * 60_000);
    await page.goto(`${app.url}/console/overview`);
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');

    await signIn(page, app.url, 'auditor-1');
    expect(new URL(page.url()).pathname).toBe('/console/overview');
    const keys = app.t.app.get(ApiKeys);
    const key = (await keys.list()).find((k) => k.name === 'auditor-1');
    await keys.revoke(key?.keyId as string, 'test', 'left');
    await page.goto(`${app.url}/console/overview`);
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');
    expect(await signIn(page, app.url, 'auditor-1')).toBe(401);
    await context.close();
  });

  it('throttles a name after five failed attempts, even with the right password then', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    for (let i = 0; i < 5; i++) expect(await signIn(page, app.url, 'auditor-2', `wrong-password-${i}`)).toBe(401);
    expect(await signIn(page, app.url, 'auditor-2')).toBe(429);
    await expect(page.locator('[role=alert]').textContent()).resolves.toMatch(/15 мин/);
    app.t.clock.at = new Date(app.t.clock.at.getTime() + 16 * 60_000);
    expect(await signIn(page, app.url, 'auditor-2')).toBe(303);
    await context.close();
  });

  it('switches the language on every page and keeps it, rendering Kazakh letters in the bundled DejaVu Sans', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, app.url, 'hr-director');
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('kk');
    await expect(page.locator('nav.sections').textContent()).resolves.toContain('Өтініштер');
    const font = await page.evaluate<{ loaded: string[]; family: string }>(`document.fonts.ready.then(() => ({
      loaded: [...document.fonts].filter((f) => f.status === 'loaded').map((f) => f.family),
      family: getComputedStyle(document.body).fontFamily,
    }))`);
    expect(font.loaded).toContain('DejaVu Sans');
    expect(font.family).toContain('DejaVu Sans');
    await screenshot(page, 'overview-kk');
    await Promise.all([page.waitForURL(/lang=ru/), page.getByRole('link', { name: 'Русский' }).click()]);
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('ru');
    await expect(page.locator('nav.sections').textContent()).resolves.toContain('Обращения');
    await page.goto(`${app.url}/console/overview`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Обзор');
    await page.getByRole('link', { name: 'English' }).click();
    await page.waitForURL(/lang=en/);
    await expect(page.locator('h1').textContent()).resolves.toBe('Overview');
    await context.close();
  });
});

import type { Browser } from 'playwright-core';
import { aRecord } from '../support/test-app';
import { launchBrowser, newContext, screenshot, signIn } from './support/browser';
import { PASSWORDS, startConsoleApp, type ConsoleApp } from './support/console-app';
import { auditPage } from './support/page-audit';

describe('console: accessibility and layout (in chromium)', () => {
  let browser: Browser;
  let app: ConsoleApp;
  let subjectId: string;
  beforeAll(async () => {
    [browser, app] = await Promise.all([launchBrowser(), startConsoleApp()]);
    subjectId = (await app.t.http.post('/v1/processing-records').send(aRecord()).expect(201)).body.subjectId;
    await app.t.http.post('/v1/subject-requests').send({ subject: { iin: '791028302728' }, kind: 'information', channel: 'egov', receivedAt: '2026-11-24T09:00:00+05:00' }).expect(201);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const pages = () => [
    ['overview', '/console/overview'], ['person', '/console/person'], ['timeline', `/console/subjects/${subjectId}/timeline?purpose=OVERSIGHT`],
    ['inventory', `/console/subjects/${subjectId}/inventory?purpose=OVERSIGHT`], ['requests', '/console/requests'], ['violations', '/console/violations'],
    ['activity', '/console/activity'], ['transfers', '/console/transfers'], ['summary', '/console/summary'], ['integrity', '/console/integrity'],
  ] as const;

  it('reaches the sign-in form by keyboard from the top of the page and submits it with Enter', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(`${app.url}/console/sign-in?lang=en`);
    const order: string[] = [];
    for (let i = 0; i < 8 && order.at(-1) !== 'name'; i++) {
      await page.keyboard.press('Tab');
      order.push(await page.evaluate<string>("document.activeElement.id || document.activeElement.textContent.trim().replace(/\\s+/g, ' ')"));
    }
    expect(order).toEqual(['Skip to content', 'Derbes Personal-data processing ledger', 'Қазақша', 'Русский', 'English', 'name']);
    const outline = await page.evaluate<string>('getComputedStyle(document.activeElement).outlineStyle');
    expect(outline).not.toBe('none');
    await page.keyboard.type('hr-director');
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string>('document.activeElement.id')).toBe('password');
    await page.keyboard.type(PASSWORDS['hr-director']);
    await Promise.all([page.waitForURL(/\/console\/overview/), page.keyboard.press('Enter')]);
    await expect(page.locator('h1').textContent()).resolves.toBe('Overview');
    await context.close();
  });

  it('lets the skip link move focus to the content', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, app.url, 'hr-director');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    expect(await page.evaluate<string>('document.activeElement.id')).toBe('main');
    await context.close();
  });

  for (const [width, name] of [[1280, 'wide'], [390, 'narrow']] as const) {
    it(`labels every control, keeps text contrast at WCAG AA, and fits a ${width} px window on every page (screenshots)`, async () => {
      const context = await newContext(browser, width);
      const page = await context.newPage();
      await page.goto(`${app.url}/console/sign-in?lang=kk`);
      const findings: Record<string, unknown> = {};
      const check = async (id: string) => {
        const audit = await auditPage(page);
        const bad = { ...(audit.unlabelled.length ? { unlabelled: audit.unlabelled } : {}), ...(audit.lowContrast.length ? { lowContrast: audit.lowContrast } : {}),
          ...(audit.h1 !== 1 ? { h1: audit.h1 } : {}), ...(audit.mains !== 1 ? { mains: audit.mains } : {}), ...(audit.lang !== 'kk' ? { lang: audit.lang } : {}),
          ...(audit.overflowsWidth.length ? { overflowsWidth: audit.overflowsWidth } : {}) };
        if (Object.keys(bad).length > 0) findings[id] = bad;
        await screenshot(page, `${id}-${name}`);
      };
      await check('sign-in');
      await signIn(page, app.url, 'hr-director');
      for (const [id, path] of pages()) {
        await page.goto(`${app.url}${path}`);
        await check(id);
      }
      expect(findings).toEqual({});
      await context.close();
    });
  }
});

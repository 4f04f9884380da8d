import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext } from 'playwright-core';
import { ORDER_328_O } from '@derbes/register';
import { REPORT_MESSAGES } from '@derbes/reports';
import { pdfText } from '../support/pdf-text';
import { IIN, OTHER_IIN, aRecord } from '../support/test-app';
import { launchBrowser, newContext, screenshot, signIn, submit } from './support/browser';
import { startConsoleApp, type ConsoleApp } from './support/console-app';

describe('console: a person looked up, their timeline, data and access report (in chromium)', () => {
  let browser: Browser;
  let app: ConsoleApp;
  let context: BrowserContext;
  let subjectId: string;
  const urls: string[] = [];
  beforeAll(async () => {
    [browser, app] = await Promise.all([launchBrowser(), startConsoleApp()]);
    context = await newContext(browser);
    context.on('request', (r) => urls.push(r.url()));
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const lastEvent = async () => (await app.t.store.readStream(`subject-${subjectId}`)).at(-1);

  it('looks a person up by IIN in a form and shows an event recorded through the API a moment before, recording the read', async () => {
    const page = await context.newPage();
    await signIn(page, app.url, 'hr-director');
    const written = await app.t.http.post('/v1/processing-records')
      .send(aRecord({ note: 'конкурстық құжаттар 2026', occurredAt: '2026-11-25T11:55:00Z' })).expect(201);
    subjectId = written.body.subjectId;

    await page.getByRole('link', { name: 'Субъект' }).click();
    await page.getByLabel('ЖСН (12 цифр)').fill(IIN);
    await page.getByLabel('Істі қарау мақсаты').selectOption('OVERSIGHT');
    await screenshot(page, 'person-lookup');
    expect(await submit(page, page.getByRole('button', { name: 'Іздеу' }))).toBe(303);
    expect(new URL(page.url()).pathname).toBe(`/console/subjects/${subjectId}/timeline`);
    await expect(page.locator('table').textContent()).resolves.toContain('конкурстық құжаттар 2026');
    await expect(page.locator('table').textContent()).resolves.toContain('Жинау');
    await screenshot(page, 'person-timeline');

    const read = await lastEvent();
    expect(read?.type).toBe('SubjectFileRead');
    expect(read?.data).toMatchObject({
      view: 'GET /console/subjects/{subjectId}/timeline', purpose: { code: 'OVERSIGHT' },
      actor: { id: 'hr-director', role: 'official', unit: 'personnel-management' }, categories: [{ number: 1 }, { number: 2 }, { number: 28 }],
    });
    await page.close();
  });

  it('filters the timeline, whose reads of the file show in it too', async () => {
    const page = await context.newPage();
    await page.goto(`${app.url}/console/subjects/${subjectId}/timeline?purpose=OVERSIGHT&lang=en`);
    await expect(page.locator('table').textContent()).resolves.toContain('Read of the file');
    await page.getByLabel('Operation').selectOption('collect');
    await Promise.all([page.waitForURL(/operation=collect/), page.getByRole('button', { name: 'Show' }).click()]);
    const rows = await page.locator('tbody tr').allTextContents();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('Collection');
    // A sender's text is isolated, so that a direction it leaves open cannot turn what follows it round.
    expect(await page.locator('tbody tr td:last-child > bdi').count()).toBe(1);
    await page.getByLabel('From (date)').fill('2026-11-26');
    await Promise.all([page.waitForURL(/from=2026-11-26/), page.getByRole('button', { name: 'Show' }).click()]);
    await expect(page.locator('main').textContent()).resolves.toContain('Nothing to show.');
    await page.close();
  });

  it("shows the person's data per category, recording that read", async () => {
    const page = await context.newPage();
    await page.goto(`${app.url}/console/subjects/${subjectId}/timeline?purpose=P07&lang=ru`);
    await page.getByRole('link', { name: 'Имеющиеся данные' }).click();
    await page.waitForURL(/\/inventory\?purpose=P07/);
    const rows = await page.locator('tbody tr th').allTextContents();
    expect(rows.map((r) => r.split('.')[0])).toEqual(['1', '2', '28']);
    await screenshot(page, 'person-inventory');
    expect((await lastEvent())?.data).toMatchObject({ view: 'GET /console/subjects/{subjectId}/inventory', purpose: { code: 'P07' } });
    await page.close();
  });

  it('downloads the access report as a PDF in the language chosen, naming the data in it, and records the read', async () => {
    const page = await context.newPage();
    await page.goto(`${app.url}/console/subjects/${subjectId}/inventory?purpose=OVERSIGHT&lang=en`);
    await page.getByRole('combobox', { name: 'Language' }).selectOption('ru');
    await page.getByLabel('Format').selectOption('pdf');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download' }).click()]);
    expect(download.suggestedFilename()).toBe(`access-report-${subjectId.slice(0, 12)}-ru.pdf`);
    const pdf = readFileSync(await download.path());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(pdf).replace(/\s+/g, ' ');
    expect(text).toContain(REPORT_MESSAGES.ru.title);
    expect(text).toContain(REPORT_MESSAGES.ru['section.categories']);
    for (const number of [1, 2, 28]) expect(text).toContain(`${number}. ${ORDER_328_O.categories.find((c) => c.number === number)?.names.ru}`);
    expect(text).not.toContain(IIN);
    expect((await lastEvent())?.data).toMatchObject({ view: 'GET /console/subjects/{subjectId}/report (ru, pdf)', actor: { id: 'hr-director' } });
    await page.close();
  });

  it('asks for the purpose before showing anything, and records nothing until it is given', async () => {
    const page = await context.newPage();
    const before = (await app.t.store.readStream(`subject-${subjectId}`)).length;
    await page.goto(`${app.url}/console/subjects/${subjectId}/timeline?lang=en`);
    await expect(page.locator('main').textContent()).resolves.toContain('State the purpose of reading');
    expect(await page.locator('table').count()).toBe(0);
    const refused = await page.goto(`${app.url}/console/subjects/${subjectId}/timeline?purpose=CURIOSITY&lang=en`);
    expect(refused?.status()).toBe(400);
    expect((await app.t.store.readStream(`subject-${subjectId}`)).length).toBe(before);
    await page.close();
  });

  it('names a bad IIN without showing it back, says when the ledger knows nothing of a person, and never puts an IIN in an address', async () => {
    const page = await context.newPage();
    await page.goto(`${app.url}/console/person?lang=en`);
    await page.getByLabel('IIN (12 digits)').fill('791028302727');
    expect(await submit(page, page.getByRole('button', { name: 'Look up' }))).toBe(400);
    await expect(page.locator('.field-error').textContent()).resolves.toContain('check digit');
    await expect(page.getByLabel('IIN (12 digits)').inputValue()).resolves.toBe('');
    expect(await page.content()).not.toContain('791028302727');
    await page.getByLabel('IIN (12 digits)').fill(OTHER_IIN);
    expect(await submit(page, page.getByRole('button', { name: 'Look up' }))).toBe(200);
    await expect(page.locator('[role=status]').textContent()).resolves.toBe('The ledger holds nothing about this person.');
    expect(urls.length).toBeGreaterThan(10);
    expect(urls.filter((u) => u.includes(IIN) || u.includes(OTHER_IIN) || u.includes('791028302727'))).toEqual([]);
    await page.close();
  });

  it("keeps an auditor without the subject-data grant out of people's files, and lets one with it in", async () => {
    const plain = await newContext(browser);
    const page = await plain.newPage();
    await signIn(page, app.url, 'auditor-1');
    expect(await page.locator('nav.sections a[href="/console/person"]').count()).toBe(0);
    const refused = await page.goto(`${app.url}/console/subjects/${subjectId}/timeline?purpose=OVERSIGHT&lang=en`);
    expect(refused?.status()).toBe(403);
    await expect(page.locator('[role=alert]').textContent()).resolves.toContain('subject-data grant');
    await plain.close();
    const granted = await newContext(browser);
    const other = await granted.newPage();
    await signIn(other, app.url, 'auditor-2');
    const shown = await other.goto(`${app.url}/console/subjects/${subjectId}/timeline?purpose=OVERSIGHT`);
    expect(shown?.status()).toBe(200);
    expect((await lastEvent())?.data).toMatchObject({ actor: { id: 'auditor-2', role: 'auditor', unit: 'internal-audit' } });
    await granted.close();
  });
  it("words a flagged record's violation in the page's language, with local times", async () => {
    await app.t.recordAll([
      aRecord({ operation: 'block', categories: [1], source: undefined, occurredAt: '2026-11-25T05:00:00Z' }),
      aRecord({ operation: 'access', categories: [1], source: undefined, occurredAt: '2026-11-25T06:00:00Z' }),
    ]);
    const page = await context.newPage();
    await page.goto(`${app.url}/console/subjects/${subjectId}/timeline?purpose=OVERSIGHT&lang=ru&violations=true`);
    const rows = await page.locator('tbody tr').allTextContents();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain(`Обработаны заблокированные данные: Доступ: категория 1 (${ORDER_328_O.categories[0]!.names.ru}) заблокирована с 25.11.2026`);
    expect(rows[0]).not.toContain('T05:00:00');
    await page.close();
  });
});

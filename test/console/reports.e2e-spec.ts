import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { Rng, validIins } from '../support/fuzz-generators';
import { IIN, OTHER_IIN, aRecord } from '../support/test-app';
import { launchBrowser, newContext, screenshot, signIn } from './support/browser';
import { PASSWORDS, sessionCookie, signInOverHttp, startConsoleApp, type ConsoleApp } from './support/console-app';

/** A person recipient's name and a consent reference: sealed, and never opened by a report. */
const PERSON = 'Aigerim Bekova';
const REFERENCE = 'notarised consent 77-AB-1234';

/** The operator's names (DERBES_NAMES_FILE) for the records' unit and system; their role, hr-specialist, is left without one. */
const NAMES = {
  units: { 'personnel-management': { kk: 'Персоналды басқару департаменті', ru: 'Департамент управления персоналом', en: 'Personnel Management Department' } },
  systems: { 'hr-portal': { kk: 'Кадр порталы', ru: 'Кадровый портал', en: 'HR portal' } },
};

describe('console: the overview and the reports (in chromium)', () => {
  let browser: Browser;
  let app: ConsoleApp;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'derbes-names-'));
  beforeAll(async () => {
    const names = join(dir, 'names.json');
    writeFileSync(names, JSON.stringify(NAMES));
    [browser, app] = await Promise.all([launchBrowser(), startConsoleApp({ DERBES_SOURCE_SYSTEMS: 'payroll=1h,*=1d', DERBES_NAMES_FILE: names })]);
    // A week of ordinary records, a transfer abroad without ground (a violation), one at home, and a day on which
    // hr-99 processed 25 people (unusual for anyone).
    const days = ['2026-11-16', '2026-11-18', '2026-11-20', '2026-11-23', '2026-11-24'];
    await app.t.recordAll([
      ...days.map((day, i) => aRecord({ occurredAt: `${day}T05:00:00Z`, operation: i % 2 === 0 ? 'collect' : 'access', ...(i % 2 === 0 ? {} : { source: undefined }) })),
      aRecord({ operation: 'transfer', source: undefined, recipient: { name: 'Acme Analytics', country: 'US' }, occurredAt: '2026-11-24T06:00:00Z', categories: [28] }),
      aRecord({ operation: 'transfer', source: undefined, recipient: { name: 'Е-Әкімдік', country: 'KZ' }, occurredAt: '2026-11-24T07:00:00Z', categories: [1] }),
      aRecord({
        operation: 'transfer', source: undefined, recipient: { name: PERSON, country: 'KZ', kind: 'person' }, occurredAt: '2026-11-24T08:00:00Z',
        categories: [1], transferGround: { kind: 'consent', reference: REFERENCE }, note: undefined,
      }),
      ...validIins(new Rng(8), 25).map((iin, i) => aRecord({ subject: { iin }, actor: { id: 'hr-99', role: 'hr-specialist', unit: 'personnel-management' }, occurredAt: `2026-11-24T0${i % 9}:10:00Z` })),
    ]);
    await app.t.http.post('/v1/subject-requests').send({ subject: { iin: IIN }, kind: 'blocking', channel: 'post', receivedAt: '2026-11-17T09:00:00+05:00', categories: [28] }).expect(201);
    await app.t.http.post('/v1/subject-requests').send({ subject: { iin: OTHER_IIN }, kind: 'change', channel: 'egov', receivedAt: '2026-11-24T09:00:00+05:00', categories: [1] }).expect(201);
    context = await newContext(browser);
    page = await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    page.on('pageerror', (e) => problems.push(e.message));
    await signIn(page, app.url, 'hr-director');
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the overview: records per day as a chart and a table, top categories and purposes, violations, unusual activity, silent systems and requests', async () => {
    await page.goto(`${app.url}/console/overview?lang=en`);
    await page.locator('.chart canvas').first().waitFor();
    const perDay = await page.locator('section[aria-labelledby="per-day-h"] details table').textContent();
    expect(perDay).toContain('2026-11-24');
    expect(perDay).toContain('Transfer');
    const card = (id: string) => page.locator(`section[aria-labelledby="${id}"]`).textContent();
    await expect(card('categories-h')).resolves.toMatch(/^Top categories.*1\. Surname/s);
    await expect(card('purposes-h')).resolves.toContain('P01');
    await expect(card('violations-h')).resolves.toContain('Transfer abroad without a legal ground: 1');
    await expect(card('unusual-h')).resolves.toContain('hr-99');
    await expect(card('silent-h')).resolves.toContain('payroll is expected to report');
    await expect(card('overdue-h')).resolves.toMatch(/Blocking: overdue by \d+ working days/);
    await expect(card('due-h')).resolves.toContain('Change of data: due today');
    await screenshot(page, 'overview');
    // The alerts are worded in the reader's language, as everything else on the page.
    await page.goto(`${app.url}/console/overview?lang=kk`);
    await expect(card('silent-h')).resolves.toContain('payroll жүйесі жазбаларды жіберуі тиіс');
    expect(problems).toEqual([]);
  });

  it('lists violations with filters and counts', async () => {
    await page.goto(`${app.url}/console/violations?lang=en`);
    await page.getByLabel('Violation', { exact: true }).selectOption('cross-border-without-ground');
    await Promise.all([page.waitForURL(/code=cross-border/), page.getByRole('button', { name: 'Show' }).click()]);
    const rows = await page.locator('tbody tr').allTextContents();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('Transfer abroad without a legal ground');
    expect(rows[0]).toContain('transfer to US without a consent or treaty reference');
    await screenshot(page, 'violations');
    // The detail is worded in the page's language, as its label is.
    await page.goto(`${app.url}/console/violations?lang=kk&code=cross-border-without-ground`);
    const kk = await page.locator('tbody tr').allTextContents();
    expect(kk[0]).toContain('шекара асыра беру: US');
    expect(kk[0]).not.toContain('transfer to');
    // Units and systems by their names, the code in the title; the filter still takes the code.
    await page.goto(`${app.url}/console/violations?lang=ru&code=cross-border-without-ground&unit=personnel-management&system=hr-portal`);
    const row = page.locator('tbody tr');
    await expect(row.count()).resolves.toBe(1);
    await expect(row.locator('span[title="personnel-management"]').textContent()).resolves.toBe('Департамент управления персоналом');
    await expect(row.locator('span[title="hr-portal"]').textContent()).resolves.toBe('Кадровый портал');
    await page.goto(`${app.url}/console/violations?lang=ru&unit=training-center`);
    await expect(page.locator('tbody tr').count()).resolves.toBe(0);
  });

  it('shows actor activity with the days flagged unusual and why', async () => {
    await page.goto(`${app.url}/console/activity?lang=ru&from=2026-11-01&to=2026-11-25`);
    const unusual = await page.locator('table').first().textContent();
    expect(unusual).toContain('hr-99');
    expect(unusual).toContain('2026-11-24');
    // The count is named by what it counts (persons here), not called "records".
    const headings = await page.locator('table').first().locator('thead th').allTextContents();
    expect(headings).toEqual(['День', 'Сотрудник', 'Подразделение', 'Что подсчитано', 'Число', 'Почему']);
    const row = await page.locator('table').first().locator('tbody tr', { hasText: 'hr-99' }).first().locator('td').allTextContents();
    expect(row.slice(2, 4)).toEqual(['Субъекты', '25']);
    // The unit by its name, the code in the title; the role, which has no name, as its code.
    expect(row[1]).toBe('Департамент управления персоналом');
    const actor = page.locator('table').nth(1).locator('tbody tr', { hasText: 'hr-99' });
    await expect(actor.locator('th').textContent()).resolves.toBe('hr-99 (hr-specialist)');
    await expect(actor.locator('td span[title="personnel-management"]').textContent()).resolves.toBe('Департамент управления персоналом');
    // Filtering by the unit's code still works.
    await page.goto(`${app.url}/console/activity?lang=ru&from=2026-11-01&to=2026-11-25&unit=personnel-management`);
    await expect(page.locator('table').first().textContent()).resolves.toContain('hr-99');
    await screenshot(page, 'activity');
  });

  it('lists transfers, abroad ones marked, with totals', async () => {
    await page.goto(`${app.url}/console/transfers?lang=en`);
    await expect(page.locator('main').textContent()).resolves.toContain('3 transfers, 1 abroad');
    await page.getByLabel('Abroad').selectOption('true');
    await Promise.all([page.waitForURL(/crossBorder=true/), page.getByRole('button', { name: 'Show' }).click()]);
    const rows = await page.locator('tbody tr').allTextContents();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('Acme Analytics');
    expect(rows[0]).toContain('hr-17 (Personnel Management Department)');
    await screenshot(page, 'transfers');
  });

  it("shows a person recipient as a person, never their name or the consent's reference, and records no read", async () => {
    const before = await app.t.store.lastPosition();
    await page.goto(`${app.url}/console/transfers?lang=en`);
    const rows = await page.locator('tbody tr').allTextContents();
    expect(rows.find((row) => row.includes('A person (their name is shown in their file only)'))).toContain('KZ');
    const signedIn = await signInOverHttp(app.t.server, 'auditor-1', PASSWORDS['auditor-1']);
    expect(signedIn.status).toBe(303);
    const auditorPage = await request(app.t.server).get('/console/transfers?lang=en').set('cookie', sessionCookie(signedIn)).expect(200);
    expect(auditorPage.text).toContain('A person (their name is shown in their file only)');
    for (const text of [PERSON, REFERENCE, 'sealed:']) {
      expect(await page.content()).not.toContain(text);
      expect(auditorPage.text).not.toContain(text);
    }
    expect(await app.t.store.lastPosition()).toBe(before);
  });

  it('summarises processing by the keys chosen, and exports the same rows as CSV', async () => {
    await page.goto(`${app.url}/console/summary?lang=kk&from=2026-11-01&to=2026-11-25&groupBy=operation`);
    expect(await page.locator('tbody tr td:first-child').allTextContents()).toEqual(['access', 'collect', 'transfer']);
    await screenshot(page, 'summary');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'CSV жүктеп алу' }).click()]);
    expect(download.suggestedFilename()).toBe('processing-summary-2026-11-01-2026-11-25.csv');
    const csv = readFileSync(await download.path(), 'utf8');
    const api = await app.t.http.get('/v1/reports/summary?from=2026-11-01&to=2026-11-25&groupBy=operation&format=csv&lang=kk').expect(200);
    expect(csv).toBe(api.text);
    expect(csv.startsWith('\uFEFFoperation,records,subjects\r\n')).toBe(true);
  });

  it('summarises by unit and system by their names, while the CSV keeps the codes', async () => {
    await page.goto(`${app.url}/console/summary?lang=en&from=2026-11-01&to=2026-11-25&groupBy=unit&groupBy=system`);
    const cells = page.locator('tbody tr').first().locator('td');
    await expect(cells.nth(0).textContent()).resolves.toBe('Personnel Management Department');
    await expect(cells.nth(0).locator('span').getAttribute('title')).resolves.toBe('personnel-management');
    await expect(cells.nth(1).textContent()).resolves.toBe('HR portal');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download CSV' }).click()]);
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv).toBe((await app.t.http.get('/v1/reports/summary?from=2026-11-01&to=2026-11-25&groupBy=unit,system&format=csv&lang=en').expect(200)).text);
    expect(csv).toContain('\r\npersonnel-management,hr-portal,');
    expect(csv).not.toContain('Personnel Management Department');
  });

  it('shows the latest signed tree head once there is one, and says that no verification result is recorded', async () => {
    await page.goto(`${app.url}/console/integrity?lang=en`);
    await expect(page.locator('main').textContent()).resolves.toContain('No tree head has been signed yet.');
    const head = (await app.t.http.post('/v1/integrity/tree-heads').expect(201)).body;
    await page.goto(`${app.url}/console/integrity?lang=en`);
    const text = await page.locator('main').textContent();
    expect(text).toContain(head.rootHash);
    expect(text).toContain(String(head.treeSize));
    expect(text).toContain('"derbes verify" has not run on this ledger');
    await screenshot(page, 'integrity');
  });

  it('names a bad filter on a page in the reader\'s language, with the field', async () => {
    const answer = await page.goto(`${app.url}/console/transfers?lang=ru&from=2026-13-01&to=2026-11-25`);
    expect(answer?.status()).toBe(400);
    await expect(page.locator('[role=alert]').textContent()).resolves.toMatch(/Исправьте форму:.*from/s);
  });
});

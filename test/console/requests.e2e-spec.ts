import type { Browser, BrowserContext, Page } from 'playwright-core';
import { IIN, OTHER_IIN } from '../support/test-app';
import { launchBrowser, newContext, screenshot, signIn, submit } from './support/browser';
import { startConsoleApp, type ConsoleApp } from './support/console-app';

describe("console: data subjects' requests (in chromium)", () => {
  let browser: Browser;
  let app: ConsoleApp;
  let context: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    [browser, app] = await Promise.all([launchBrowser(), startConsoleApp()]);
    context = await newContext(browser);
    page = await context.newPage();
    await signIn(page, app.url, 'hr-director');
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const register = async (fields: { iin: string; kind: string; channel: string; receivedAt: string; categories?: string[]; detail?: string }) => {
    await page.goto(`${app.url}/console/requests?lang=en`);
    await page.getByLabel('IIN (12 digits)').fill(fields.iin);
    await page.getByLabel('Kind of request').selectOption(fields.kind);
    await page.getByLabel('Channel').selectOption(fields.channel);
    await page.getByLabel('Received (Kazakhstan time)').fill(fields.receivedAt);
    for (const c of fields.categories ?? []) await page.locator(`#cat-${c}`).check();
    if (fields.detail) await page.getByLabel('What the person asks, in short (no IIN)').fill(fields.detail);
    return submit(page, page.getByRole('button', { name: 'Register' }));
  };
  const row = (requestId: string) => page.locator(`tr[data-request="${requestId}"]`);
  const apiQueue = async (status = 'open') => (await app.t.http.get(`/v1/subject-requests?status=${status}`).expect(200)).body.items as Record<string, unknown>[];

  it('registers a request with its deadline in working days, and shows it in the queue', async () => {
    expect(await register({ iin: IIN, kind: 'information', channel: 'egov', receivedAt: '2026-11-24T10:15', detail: 'what is held about me' })).toBe(303);
    // Received on Tuesday 24 November: three working days from Wednesday.
    await expect(page.locator('[role=status]').textContent()).resolves.toBe('Request registered; answer due by 27 November 2026 (3 working days).');
    const [queued] = await apiQueue();
    expect(queued).toMatchObject({ kind: 'information', channel: 'egov', deadline: '2026-11-27', workingDays: 3, registeredUnit: 'personnel-management' });
    await expect(row(queued?.requestId as string).textContent()).resolves.toContain('due by 27 November 2026');
    // Each request keeps the counting rule it was received under (DERBES_DEADLINE_FIRST_DAY may change later): the row says it.
    await expect(row(queued?.requestId as string).textContent()).resolves.toContain('3 working days, counted from the day after receipt');
    await screenshot(page, 'requests');
  });

  it('shows an overdue request with the working days it is late by, as the API counts them', async () => {
    expect(await register({ iin: OTHER_IIN, kind: 'change', channel: 'post', receivedAt: '2026-11-18T09:00', categories: ['1', '13'] })).toBe(303);
    const change = (await apiQueue()).find((r) => r.kind === 'change') as { requestId: string; workingDaysOverdue: number; overdue: boolean };
    expect(change.overdue).toBe(true);
    const text = await row(change.requestId).textContent();
    expect(text).toContain(`overdue by ${change.workingDaysOverdue} working days`);
    expect(text).toContain('1, 13');
  });

  it('registers a form sent twice only once', async () => {
    await page.goto(`${app.url}/console/requests?lang=en`);
    const fields = {
      _csrf: await page.locator('form[action="/console/requests"] input[name=_csrf]').inputValue(),
      requestId: await page.locator('input[name=requestId]').inputValue(),
      iin: IIN, kind: 'consent-withdrawal', channel: 'email', receivedAt: '2026-11-25T09:00',
    };
    const first = await page.request.post(`${app.url}/console/requests`, { form: fields, maxRedirects: 0 });
    const again = await page.request.post(`${app.url}/console/requests`, { form: fields, maxRedirects: 0 });
    expect([first.status(), again.status()]).toEqual([303, 303]);
    expect(first.headers().location).toContain('notice=registered');
    expect(again.headers().location).toContain('notice=duplicate');
    expect((await apiQueue()).filter((r) => r.requestId === fields.requestId)).toHaveLength(1);
  });

  it('refuses a malformed form naming each field, showing nothing of the IIN back and registering nothing', async () => {
    const before = (await apiQueue()).length;
    expect(await register({ iin: '791028302727', kind: 'blocking', channel: 'other', receivedAt: '2027-01-01T09:00', detail: `about ${IIN}` })).toBe(400);
    const alert = await page.locator('[role=alert]').textContent();
    expect(alert).toContain('subject.iin: check digit');
    expect(alert).toContain('receivedAt: is in the future');
    expect(alert).toContain('detail: must not contain an IIN');
    expect(await page.getByLabel('IIN (12 digits)').inputValue()).toBe('');
    expect(await page.content()).not.toContain('791028302727');
    expect((await apiQueue()).length).toBe(before);
    await screenshot(page, 'requests-refused-form');
  });

  it('answers an information request with the report in the language chosen, and it moves to the closed ones', async () => {
    const info = (await apiQueue()).find((r) => r.kind === 'information') as { requestId: string; subjectId: string };
    await page.goto(`${app.url}/console/requests?lang=en`);
    await row(info.requestId).getByText('Answer', { exact: true }).first().click();
    await row(info.requestId).getByLabel('Language').selectOption('ru');
    await row(info.requestId).getByLabel('Note on the answer (no IIN)').fill('sent by eGov');
    expect(await submit(page, row(info.requestId).getByRole('button', { name: 'Answer' }))).toBe(303);
    await expect(page.locator('[role=status]').textContent()).resolves.toBe('Request answered.');
    await expect(row(info.requestId).textContent()).resolves.toContain('Answered, on time');
    const events = await app.t.store.readStream(`subject-${info.subjectId}`);
    const answered = events.find((e) => e.type === 'SubjectRequestAnswered');
    expect(answered?.data).toMatchObject({ requestId: info.requestId, answeredBy: { id: 'hr-director' }, late: false });
    expect(events.find((e) => e.type === 'SubjectFileRead' && String(e.data.view).includes('(access report, ru)'))).toBeDefined();
  });

  it('refuses a request with reasons, recorded as late when past its deadline', async () => {
    const change = (await apiQueue()).find((r) => r.kind === 'change') as { requestId: string; subjectId: string; workingDaysOverdue: number };
    await page.goto(`${app.url}/console/requests?lang=en`);
    await row(change.requestId).getByText('Refuse', { exact: true }).first().click();
    await row(change.requestId).getByLabel('Reasons for refusing, one per line (no IIN)').fill('the data are correct\nno document was given');
    expect(await submit(page, row(change.requestId).getByRole('button', { name: 'Refuse' }))).toBe(303);
    await expect(page.locator('[role=status]').textContent()).resolves.toBe('Request refused.');
    await expect(row(change.requestId).textContent()).resolves.toContain(`Refused, late by ${change.workingDaysOverdue} working days`);
    const refused = (await app.t.store.readStream(`subject-${change.subjectId}`)).find((e) => e.type === 'SubjectRequestRefused');
    // Stored sealed with the person's data key, shown opened.
    expect(refused?.data).toMatchObject({ reasons: [expect.stringMatching(/^sealed:v1:/), expect.stringMatching(/^sealed:v1:/)], late: true });
    expect((await apiQueue('refused')).find((r) => r.requestId === change.requestId)).toMatchObject({ reasons: ['the data are correct', 'no document was given'] });
    await screenshot(page, 'requests-closed');
  });

  it('shows an auditor the queue without the forms, and refuses their posts', async () => {
    const auditor = await newContext(browser);
    const other = await auditor.newPage();
    await signIn(other, app.url, 'auditor-1');
    await other.goto(`${app.url}/console/requests?lang=en`);
    expect(await other.locator('table').count()).toBeGreaterThan(0);
    expect(await other.locator('form[action="/console/requests"]').count()).toBe(0);
    const csrf = await other.locator('form.sign-out input[name=_csrf]').inputValue();
    const post = await other.request.post(`${app.url}/console/requests`, { form: { _csrf: csrf, iin: IIN, kind: 'information', channel: 'egov', receivedAt: '2026-11-25T09:00' }, maxRedirects: 0 });
    expect(post.status()).toBe(403);
    await auditor.close();
  });

  it('says beside a deadline that its year is not in the working-day calendar, so the overdue count is Monday to Friday', async () => {
    const { requestId } = (await app.t.http.post('/v1/subject-requests').send({
      subject: { iin: IIN }, kind: 'blocking', channel: 'post', receivedAt: '2024-06-10T10:00:00+05:00', categories: [1],
    }).expect(201)).body;
    expect((await apiQueue()).find((r) => r.requestId === requestId)).toMatchObject({ deadlineCoverage: 'not-covered' });
    await page.goto(`${app.url}/console/requests?lang=en`);
    await expect(row(requestId).textContent()).resolves.toContain('year not in the calendar: Monday to Friday counted');
    await page.goto(`${app.url}/console/requests?lang=ru`);
    await expect(row(requestId).textContent()).resolves.toContain('года нет в календаре');
  });
});

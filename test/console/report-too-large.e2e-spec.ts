import request from 'supertest';
import { escapeHtml } from '@derbes/reports';
import { t as say } from '../../apps/ledger/src/console/i18n/console-i18n';
import { aRecord, OTHER_IIN } from '../support/test-app';
import { PASSWORDS, sessionCookie, signInOverHttp, startConsoleApp, type ConsoleApp } from './support/console-app';

/**
 * A PDF report too large for the PDF thread's heap (here 32 MiB, against about 56 MiB that 8,000 entries need) is a
 * 406 page in the reader's language, naming the read that was recorded and the formats that give the same entries.
 * Over HTTP.
 */
describe('console: a PDF report too large for this server', () => {
  let app: ConsoleApp;
  let cookie: string;
  let subjectId: string;
  beforeAll(async () => {
    app = await startConsoleApp({ DERBES_PDF_HEAP_MB: '32' });
    cookie = sessionCookie(await signInOverHttp(app.t.server, 'hr-director', PASSWORDS['hr-director']));
    for (let batch = 0; batch < 8; batch++) {
      const records = Array.from({ length: 1000 }, (_, i) => aRecord({
        subject: { iin: OTHER_IIN }, operation: batch + i === 0 ? 'collect' : 'access', source: batch + i === 0 ? { kind: 'subject' } : undefined,
        occurredAt: new Date(Date.parse('2026-01-01T00:00:00Z') + (batch * 1000 + i) * 60_000).toISOString(),
      }));
      subjectId = (await app.t.http.post('/v1/processing-records/batch').send({ records }).expect(201)).body.results[0].subjectId;
    }
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  it.each(['kk', 'ru', 'en'] as const)('says so in %s, naming the recorded read', async (lang) => {
    const res = await request(app.t.server).get(`/console/subjects/${subjectId}/report?purpose=OVERSIGHT&format=pdf&lang=${lang}`).set('cookie', cookie);
    const read = (await app.t.store.readStream(`subject-${subjectId}`)).at(-1)!;
    expect([res.status, read.type]).toEqual([406, 'SubjectFileRead']);
    const alert = /role="alert"><p>([\s\S]*?)<\/p>/.exec(res.text)?.[1];
    expect(alert).toBe(escapeHtml(say(lang, 'error.reportTooLarge', { readId: read.id })));
    expect(alert).toContain(read.id);
  }, 60_000);
});

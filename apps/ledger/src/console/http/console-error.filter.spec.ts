import type { ArgumentsHost } from '@nestjs/common';
import { CodeNames } from '@derbes/register';
import { escapeHtml } from '@derbes/reports';
import { StoreUnavailableError } from '@derbes/event-store';
import { loadConfig } from '../../config/ledger-config';
import { LedgerError } from '../../ledger-errors';
import { ReadRecordedError } from '../../subjects/read-recorded.error';
import { t } from '../i18n/console-i18n';
import { ConsoleErrorFilter } from './console-error.filter';

const READ_ID = '1b7f0c1e-8a59-4d7e-9d0e-2b1f1f0f6a11';

/** What the filter sends for `exception` on a console page asked for in `lang`. */
function answer(exception: unknown, lang: 'kk' | 'ru' | 'en'): { status: number; alert: string | undefined } {
  const sent: { status: number; body: string } = { status: 0, body: '' };
  const reply = {
    status(code: number) {
      sent.status = code;
      return reply;
    },
    header: () => reply,
    send(body: string) {
      sent.body = body;
      return reply;
    },
  };
  const request = { url: `/console/subjects/x/timeline?lang=${lang}`, query: { lang }, headers: {}, method: 'GET', id: 'req-1', routeOptions: { url: '/console/subjects/:subjectId/timeline' } };
  const host = { switchToHttp: () => ({ getRequest: () => request, getResponse: () => reply }) } as unknown as ArgumentsHost;
  const filter = new ConsoleErrorFilter(loadConfig({ DERBES_DATA_DIR: '/tmp/derbes-console-filter-spec' }), new CodeNames());
  (filter as unknown as { logger: { error: () => void } }).logger = { error: () => undefined };
  filter.catch(exception, host);
  return { status: sent.status, alert: /role="alert"><p>([\s\S]*?)<\/p>/.exec(sent.body)?.[1] };
}

describe('the console error page after a recorded read', () => {
  // A read of the person's file is in their stream and in their access report: the page must not say "nothing was recorded".
  it.each(['kk', 'ru', 'en'] as const)('says in %s that the read was recorded, by its event id, whatever the cause', (lang) => {
    for (const [cause, status] of [[new Error('the renderer broke'), 500], [new StoreUnavailableError('disk full'), 503]] as const) {
      const { status: sent, alert } = answer(new ReadRecordedError(READ_ID, 'the page could not be made', cause), lang);
      expect([sent, alert]).toEqual([status, escapeHtml(t(lang, 'error.afterRead', { readId: READ_ID }))]);
      expect(alert).toContain(READ_ID);
    }
  });

  // Answering an information request reads the person's file (its report) and then stores the answer: when that fails
  // (another official answered first, a full disk), the page must say the request was not answered, and why.
  it.each(['kk', 'ru', 'en'] as const)('says in %s that a request whose answer failed after its report\'s read was not answered, why, and that the read was recorded', (lang) => {
    const cases = [
      [new LedgerError('request_closed', 'request r-1 was already answered'), 409, 'request r-1 was already answered'],
      [new StoreUnavailableError('disk full'), 503, 'the event store cannot take writes now'],
    ] as const;
    for (const [cause, status, reason] of cases) {
      const { status: sent, alert } = answer(new ReadRecordedError(READ_ID, 'request r-1 was not answered', cause, 'r-1'), lang);
      expect([sent, alert]).toEqual([status, escapeHtml(t(lang, 'error.notAnsweredAfterRead', { readId: READ_ID, reason }))]);
      expect(alert).toContain(READ_ID);
      expect(alert).not.toContain(escapeHtml(t(lang, 'error.afterRead', { readId: READ_ID })));
    }
  });

  it('keeps "nothing was recorded unless a page said so" for a failure with no read before it', () => {
    expect(answer(new Error('the renderer broke'), 'en')).toEqual({ status: 500, alert: escapeHtml(t('en', 'error.internal')) });
  });
});

import type { Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { StoreUnavailableError } from '@derbes/event-store';
import { ReadRecordedError } from '../subjects/read-recorded.error';
import { STORE_REFUSALS_EVERY_MS, sendError, toErrorBody } from './error.filter';

function harness() {
  const lines: string[] = [];
  const logger = { error: (line: string) => lines.push(line), warn: (line: string) => lines.push(line) } as unknown as Logger;
  const reply = { header: () => reply, status: () => reply, send: () => reply } as unknown as FastifyReply;
  const request = { method: 'POST', routeOptions: { url: '/v1/processing-records' } } as unknown as FastifyRequest;
  const refuse = (at: number) => {
    const refused = new StoreUnavailableError('append failed: SQLITE_FULL');
    sendError(reply, toErrorBody(refused, 'c-1'), refused, request, logger, at);
  };
  const afterRead = (at: number) => {
    const failed = new ReadRecordedError('00000000-0000-4000-8000-000000000001', 'the access report could not be made', new StoreUnavailableError('SQLITE_FULL'));
    sendError(reply, toErrorBody(failed, 'c-3'), failed, request, logger, at);
  };
  return { lines, refuse, afterRead, other: (at: number) => sendError(reply, toErrorBody(new Error('boom'), 'c-2'), new Error('boom'), request, logger, at) };
}

describe('sendError', () => {
  // The clock of these cases starts far from any other test's, since the count is the process's.
  const start = 1e15;

  it('logs the first refusal of the store, then one line at most every ten seconds saying how many came between', () => {
    const { lines, refuse } = harness();
    refuse(start);
    for (let i = 1; i <= 500; i++) refuse(start + i);
    refuse(start + STORE_REFUSALS_EVERY_MS);
    expect(lines).toEqual([
      'POST /v1/processing-records failed: StoreUnavailableError: append failed: SQLITE_FULL',
      'POST /v1/processing-records failed: StoreUnavailableError: append failed: SQLITE_FULL (500 more refused by the store since the last such line)',
    ]);
  });

  it('logs every other failure, whatever the store does meanwhile, and every failure after a recorded read', () => {
    const { lines, refuse, other, afterRead } = harness();
    refuse(2 * start);
    other(2 * start + 1);
    other(2 * start + 2);
    afterRead(2 * start + 3);
    afterRead(2 * start + 4);
    expect(lines.filter((l) => l.includes('boom'))).toHaveLength(2);
    expect(lines.filter((l) => l.includes('ReadRecordedError'))).toHaveLength(2);
  });
});

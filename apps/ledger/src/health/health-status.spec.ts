import type { ProjectionStatus } from '@derbes/projections';
import { LOW_DISK_BYTES, healthStatus, writtenDirectories } from './health-status';

const projection = (name: string, error: string | null): ProjectionStatus => ({
  name, version: 1, active: { generation: 1, version: 1, position: 5, current: true }, building: null, logPosition: 5, lag: 0, error,
});

describe('healthStatus', () => {
  it('is ok with every projection following and room on every disk', () => {
    expect(healthStatus([projection('violations', null)], [{ holds: 'data directory', freeBytes: LOW_DISK_BYTES }])).toEqual({ status: 'ok', problems: [] });
  });

  it('is degraded, naming each stopped or paused projection and each disk nearly full', () => {
    const paused = 'paused before position 6: database or disk is full; retrying';
    expect(healthStatus(
      [projection('violations', null), projection('transfers', 'stopped before position 6: cannot read'), projection('subject-history', paused)],
      [{ holds: 'data directory', freeBytes: LOW_DISK_BYTES - 1 }, { holds: 'read models', freeBytes: 10 * LOW_DISK_BYTES }],
    )).toEqual({
      status: 'degraded',
      problems: [
        'projection transfers: stopped before position 6: cannot read',
        `projection subject-history: ${paused}`,
        'data directory: 63 MiB free, under 64 MiB: writes will soon be refused',
      ],
    });
  });
});

describe('writtenDirectories', () => {
  it('lists each directory the ledger writes into once, named by what it holds', () => {
    expect([...writtenDirectories({ dataDir: '/srv/d', eventStore: '/srv/d/events.db', readModels: null })]).toEqual([['/srv/d', 'data directory']]);
    expect([...writtenDirectories({ dataDir: '/srv/d', eventStore: '/fast/events.db', readModels: '/ssd/rm.db' })])
      .toEqual([['/srv/d', 'data directory'], ['/fast', 'event store'], ['/ssd', 'read models']]);
    expect([...writtenDirectories({ dataDir: '/srv/d', eventStore: 'esdb://db:2113?tls=false', readModels: null })]).toEqual([['/srv/d', 'data directory']]);
    expect([...writtenDirectories({ dataDir: '/srv/d', eventStore: ':memory:', readModels: null })]).toEqual([['/srv/d', 'data directory']]);
  });
});

import { DEFAULT_REQUEST_DEADLINES } from './request-deadlines';
import { REQUEST_KINDS } from './subject-request.events';

describe('default request deadlines (data)', () => {
  it('gives every kind of request a length and the basis of it', () => {
    for (const kind of REQUEST_KINDS) {
      expect(DEFAULT_REQUEST_DEADLINES[kind].workingDays).toBeGreaterThanOrEqual(1);
      expect(DEFAULT_REQUEST_DEADLINES[kind].basis).not.toBe('');
    }
  });

  it("marks verified only the 3 working days to inform, which law.md checked against a source", () => {
    const verified = REQUEST_KINDS.filter((kind) => DEFAULT_REQUEST_DEADLINES[kind].verified);
    expect(verified).toEqual(['information']);
    expect(DEFAULT_REQUEST_DEADLINES.information.workingDays).toBe(3);
    expect(DEFAULT_REQUEST_DEADLINES.blocking.workingDays).toBe(1);
    // Art. 8 states none: the default must not pass for the law's.
    expect(DEFAULT_REQUEST_DEADLINES['consent-withdrawal'].basis).toMatch(/none stated/);
  });
});

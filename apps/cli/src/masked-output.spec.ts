import { Writable } from 'node:stream';
import { maskIinsIn } from './masked-output';

const IIN = '791028302728';

function collecting(): { stream: Writable; written: () => Buffer[] } {
  const chunks: Buffer[] = [];
  const stream = new Writable({ write: (chunk: Buffer, _encoding, done) => { chunks.push(chunk); done(); } });
  return { stream, written: () => chunks };
}

describe('maskIinsIn', () => {
  it('masks an IIN in every write to the stream, strings and bytes, lines and progress redraws alike', () => {
    const { stream, written } = collecting();
    maskIinsIn(stream);
    stream.write(`backed up into /tmp/backups/${IIN}: events.db\n`);
    stream.write(Buffer.from(`\rverify [#####] 50% /srv/${IIN.slice(0, 6)}-${IIN.slice(6)}`));
    stream.write(new TextEncoder().encode(`derbes: no live key ${IIN}\n`));
    expect(written().map(String)).toEqual([
      'backed up into /tmp/backups/7**********8: events.db\n',
      '\rverify [#####] 50% /srv/7**********8',
      'derbes: no live key 7**********8\n',
    ]);
  });

  it('leaves text without an IIN, bytes that are not text and a string in another encoding as they are', () => {
    const { stream, written } = collecting();
    maskIinsIn(stream);
    const notText = Buffer.from([0xff, ...Buffer.from(IIN), 0xfe]);
    stream.write('position 123456789012 of 1000; 791028302727 fails its check digit\n');
    stream.write(notText);
    stream.write(Buffer.from(IIN).toString('hex'), 'hex');
    expect(written()).toEqual([Buffer.from('position 123456789012 of 1000; 791028302727 fails its check digit\n'), notText, Buffer.from(IIN)]);
  });

  it('leaves a hash, a signature and an event id as they are though their digits read as an IIN; masks any other word', () => {
    const { stream, written } = collecting();
    maskIinsIn(stream);
    const root = `ab${IIN}${'c'.repeat(50)}`;
    const signature = `${root}${root}`;
    const eventId = `${IIN.slice(0, 8)}-${IIN.slice(8)}-4000-8000-00000000abcd`;
    stream.write(`root ${root} signature ${signature} read ${eventId}\n`);
    stream.write(Buffer.from(`head ${root}\n`));
    // A name typed with hexadecimal letters around an IIN, or a hash-like word of another length, is masked.
    stream.write(`into /srv/cafe${IIN} and ${root}0\n`);
    expect(written().map(String)).toEqual([
      `root ${root} signature ${signature} read ${eventId}\n`,
      `head ${root}\n`,
      `into /srv/cafe7**********8 and ab7**********8${'c'.repeat(50)}0\n`,
    ]);
  });

  it('hands back the stream\'s own write, for what must go out as it is', () => {
    const { stream, written } = collecting();
    const unmasked = maskIinsIn(stream);
    unmasked(`dk_${IIN}_secret\n`);
    expect(written().map(String)).toEqual([`dk_${IIN}_secret\n`]);
  });
});

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

  it('leaves a hash and a signature as they are though their digits read as an IIN; masks any other word', () => {
    const { stream, written } = collecting();
    maskIinsIn(stream);
    const root = `ab${IIN}${'c'.repeat(50)}`;
    const signature = `${root}${root}`;
    stream.write(`root ${root} signature ${signature}\n`);
    stream.write(Buffer.from(`head ${root}\n`));
    // A name typed with hexadecimal letters around an IIN, or a hash-like word of another length, is masked.
    stream.write(`into /srv/cafe${IIN} and ${root}0\n`);
    expect(written().map(String)).toEqual([
      `root ${root} signature ${signature}\n`,
      `head ${root}\n`,
      `into /srv/cafe7**********8 and ab7**********8${'c'.repeat(50)}0\n`,
    ]);
  });

  it('masks an IIN built into a UUID-shaped word, in its last group or split across groups; a normal event id prints whole', () => {
    const { stream, written } = collecting();
    maskIinsIn(stream);
    stream.write(`read 00000000-0000-0000-0000-${IIN}\n`);
    stream.write(`read ${IIN.slice(0, 8)}-${IIN.slice(8)}-4000-8000-00000000abcd\n`);
    stream.write(`read 4f7c0c1e-8a59-4d7e-9d0e-${IIN}\n`);
    // Ids as the ledger makes them, one with twelve decimal digits in its last group that are no IIN.
    stream.write('read 4f7c0c1e-8a59-4d7e-9d0e-2b1f1f0f6a11 and 0b5e2a4c-9f1d-4c3a-8e7b-123456789012\n');
    expect(written().map(String)).toEqual([
      `read 0${'*'.repeat(30)}8\n`,
      `read 7${'*'.repeat(26)}0abcd\n`,
      'read 4f7c0c1e-8a59-4d7e-9d0e-7**********8\n',
      'read 4f7c0c1e-8a59-4d7e-9d0e-2b1f1f0f6a11 and 0b5e2a4c-9f1d-4c3a-8e7b-123456789012\n',
    ]);
  });

  it('masks an IIN whose digits run across the edge of a hash, by any separator a code may hold or none', () => {
    const { stream, written } = collecting();
    maskIinsIn(stream);
    const hashUpTo = (digits: string) => `${'c'.repeat(64 - digits.length)}${digits}`;
    const hashFrom = (digits: string) => `${digits}${'c'.repeat(64 - digits.length)}`;
    for (const joiner of ['_', ' ', '.', ':', '@', '/', '\u200b', '\u00a0', '__', '']) {
      stream.write(`${hashUpTo(IIN.slice(0, 2))}${joiner}${IIN.slice(2)}\n`);
      stream.write(`${IIN.slice(0, 10)}${joiner}${hashFrom(IIN.slice(10))}\n`);
    }
    stream.write(`${hashUpTo('79')}\u0661\u0660\u0662\u0668\u0663\u0660\u0662\u0667\u0662\u0668\n`); // Arabic-Indic 1028302728
    const masked = [`${'c'.repeat(62)}7**********8\n`, `7**********8${'c'.repeat(62)}\n`];
    expect(written().map(String)).toEqual([...Array.from({ length: 10 }, () => masked).flat(), masked[0]]);
  });

  it('leaves a hash whole beside digits that make no IIN with its own, and masks one inside a word of other letters', () => {
    const { stream, written } = collecting();
    maskIinsIn(stream);
    const root = `ab${IIN}${'c'.repeat(49)}5`;
    stream.write(`root ${root}_12 events; 34 ${root}\n`);
    stream.write(`каталог${root} é${root}\n`);
    expect(written().map(String)).toEqual([
      `root ${root}_12 events; 34 ${root}\n`,
      `каталогab7**********8${'c'.repeat(49)}5 éab7**********8${'c'.repeat(49)}5\n`,
    ]);
  });

  it('hands back the stream\'s own write, for what must go out as it is', () => {
    const { stream, written } = collecting();
    const unmasked = maskIinsIn(stream);
    unmasked(`dk_${IIN}_secret\n`);
    expect(written().map(String)).toEqual([`dk_${IIN}_secret\n`]);
  });
});

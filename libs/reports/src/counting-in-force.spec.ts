import { DEADLINE_COUNTING, type DeadlineCounting } from '@derbes/ledger';
import { countingInForce } from './counting-in-force';

describe('countingInForce', () => {
  it("gives the text of the rule in force in the report's language, whichever the data's default is", () => {
    for (const counting of [DEADLINE_COUNTING, { ...DEADLINE_COUNTING, firstDay: 'receipt' } as DeadlineCounting]) {
      expect(countingInForce(counting, 'receipt', 'kk').text).toBe(DEADLINE_COUNTING.text.receipt.kk);
      expect(countingInForce(counting, 'after-receipt', 'ru').text).toBe(DEADLINE_COUNTING.text['after-receipt'].ru);
    }
  });

  // Checking the data's rule against the law says nothing of another rule the holder chose.
  it("says verified only of the data's own rule, and only when the data says it was checked", () => {
    const checked: DeadlineCounting = { ...DEADLINE_COUNTING, verified: true, firstDay: 'after-receipt' };
    expect(countingInForce(checked, 'after-receipt', 'en').verified).toBe(true);
    expect(countingInForce(checked, 'receipt', 'en').verified).toBe(false);
    expect(countingInForce({ ...checked, verified: false }, 'after-receipt', 'en').verified).toBe(false);
  });
});

import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { IsString, validateSync } from 'class-validator';
import { IsUnambiguousCode, lookAlikeReason } from './look-alike-codes';
import { CODE } from './text-patterns';
import { flattenValidationErrors } from './validation';

describe('lookAlikeReason', () => {
  it.each([
    'hr-17', 'кадр-бөлімі', 'hr-кадр', 'P.Ivanov@hr', 'Айгерим.К', 'Ølstykke-IT', 'ӘКІМДІК', 'οικονομικό', 'personnel/ақпарат:2',
    // ʼ is used with many scripts (UTS #39 counts it with each); Japanese writes Han, Hiragana and Katakana in one word.
    'oʼrin', '人事ぶカ', 'кадрʼ',
  ])('takes %s', (code) => {
    expect(lookAlikeReason(code)).toBeNull();
  });

  it.each([
    ['hг-17', 'Latin and Cyrillic', '"hг"'],
    ['һr-17', 'Cyrillic and Latin', '"һr"'],
    ['rοle', 'Latin and Greek', '"rοle"'],
    ['hr-кaдр', 'Cyrillic and Latin', '"кaдр"'],
    ['hr-17@pеrsonnel', 'Latin and Cyrillic', '"pеrsonnel"'],
    ['ΗR', 'Greek and Latin', '"ΗR"'],
  ])('refuses %s, a word of two scripts', (code, scripts, word) => {
    expect(lookAlikeReason(code)).toMatch(new RegExp(`^must not mix scripts in one word: ${word} has ${scripts} letters`));
  });

  it('refuses a code not in NFC: a decomposed é or й looks like the composed one', () => {
    for (const code of ['cafe\u0301', 'и\u0306т'.normalize('NFD'), '\u212Ar-17' /* the Kelvin sign, K in NFC */]) {
      expect([code, lookAlikeReason(code)]).toEqual([code, expect.stringMatching(/^must be in Unicode NFC form/)]);
    }
    expect(lookAlikeReason('café')).toBeNull();
    expect(lookAlikeReason('йт')).toBeNull();
  });

  it('refuses numbers other than the digits 0-9', () => {
    for (const code of ['hr-١٧', 'hr-۱۷', 'hr-１７', 'hr-१७', 'hr-17²', 'Ⅻ-unit', 'hr-①']) {
      expect([code, lookAlikeReason(code)]).toEqual([code, expect.stringMatching(/^must write numbers with the digits 0-9 only/)]);
    }
  });

  it('leaves a compatibility form that is no letter (a no-break space, a fullwidth hyphen) to the shape of a code, which refuses it as what it is', () => {
    for (const code of ['кадр\u00a0бөлімі', 'кадр\uff0dбөлімі']) {
      expect(lookAlikeReason(code)).toBeNull();
      expect(CODE.test(code)).toBe(false);
    }
  });

  it('refuses compatibility forms of letters, which look like the plain letters', () => {
    for (const code of ['ｈr-17', '𝗁𝗋-17', 'ﬁnance', 'hrᵃ']) {
      expect([code, lookAlikeReason(code)]).toEqual([code, expect.stringMatching(/^must not contain compatibility forms of letters/)]);
    }
  });

  // Letters that show nothing (Default_Ignorable): hr-17 with one after it, or a code of one alone, looks like hr-17 or blank.
  it('refuses invisible letters, the Hangul fillers', () => {
    for (const code of ['hr-17\u115F', 'hr-17\u1160', '\u115F', 'hr-17\u3164', 'hr\uFFA0-17', '한\u1160']) {
      expect([code, lookAlikeReason(code)]).toEqual([code, expect.stringMatching(/^must not contain invisible letters/)]);
    }
    expect(lookAlikeReason('인사-17')).toBeNull();
  });
});

class Coded {
  @IsString() @IsUnambiguousCode()
  id: unknown;
}

const errorsOf = (value: object) => flattenValidationErrors(validateSync(plainToInstance(Coded, value)));

describe('IsUnambiguousCode', () => {
  it('names the field and the reason, and leaves other types to their rule', () => {
    expect(errorsOf({ id: 'hr-17' })).toEqual([]);
    expect(errorsOf({ id: 'hг-17' })).toEqual([{ field: 'id', reason: expect.stringMatching(/^must not mix scripts in one word: "hг" has Latin and Cyrillic letters/) }]);
    expect(errorsOf({ id: 17 })).toEqual([{ field: 'id', reason: 'must be a string' }]);
  });
});

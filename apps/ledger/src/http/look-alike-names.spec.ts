import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { IsString, validateSync } from 'class-validator';
import { IsUnambiguousName, nameLookAlikeReason } from './look-alike-names';
import { flattenValidationErrors } from './validation';

describe('nameLookAlikeReason', () => {
  it.each([
    'Kazpost', 'АО «Казпочта» № 1', 'АО "Қазпошта"', 'Kazpost (Қазпошта)', 'Kaspi.kz — Қазақстан', "O'Reilly & Sons, Ltd.", 'ТОО «Astana-IT»',
    'Café Astana', 'Müller GmbH', 'Ελληνική Τράπεζα', '株式会社トヨタ', 'State database "Individuals"', 'Бірыңғай жинақтаушы зейнетақы қоры',
    // Words of different scripts parted by a space or punctuation are two words, each in one script.
    'Kazpost/Қазпошта', 'Kazpost-Қазпошта', 'oʼzbek',
  ])('takes %s', (name) => {
    expect(nameLookAlikeReason(name)).toBeNull();
  });

  it.each([
    ['a zero-width space', 'Kazpost\u200b', 'U+200B at character 8'],
    ['a zero-width joiner', 'Kaz\u200dpost', 'U+200D at character 4'],
    ['a zero-width non-joiner', 'Қаз\u200cпошта', 'U+200C at character 4'],
    ['a word joiner', 'Kaz\u2060post', 'U+2060'],
    ['a soft hyphen', 'Kaz\u00adpost', 'U+00AD'],
    ['a zero-width no-break space (BOM)', '\ufeffKazpost', 'U+FEFF at character 1'],
    ['a combining grapheme joiner', 'Kazpost\u034f', 'U+034F'],
    ['a left-to-right mark', 'Kazpost\u200e', 'U+200E'],
    ['a variation selector', 'Kazpost\ufe0f', 'U+FE0F'],
    ['a tag character', 'Kazpost\u{E0041}', 'U+E0041 at character 8'],
    ['a Hangul filler', 'Kazpost\u3164', 'U+3164'],
  ])('refuses a name with %s, which shows nothing', (_what, name, where) => {
    expect(nameLookAlikeReason(name)).toMatch(/^must not contain invisible characters: U\+[0-9A-F]{4,5} at character \d+ \(zero-width spaces/);
    expect(nameLookAlikeReason(name)).toContain(where);
  });

  it.each([
    ['Kаzpost', 'Latin and Cyrillic', '"Kаzpost"'],
    ['АО Кaзпочта', 'Cyrillic and Latin', '"Кaзпочта"'],
    ['Bank Αlpha', 'Greek and Latin', '"Αlpha"'],
    ['«Қазпоштa» № 1', 'Cyrillic and Latin', '"Қазпоштa"'],
  ])('refuses %s, a word of two scripts', (name, scripts, word) => {
    expect(nameLookAlikeReason(name)).toBe(
      `must not mix scripts in one word: ${word} has ${scripts} letters, some of which look alike (Latin a, Cyrillic а); write each word in one script`,
    );
  });

  it('refuses fullwidth and styled letters, which look like the plain ones; № and other symbols stay free', () => {
    for (const name of ['\uff2bazpost', '\u{1d5de}azpost', 'Kazpost \ufb01nance']) {
      expect([name, nameLookAlikeReason(name)]).toEqual([name, expect.stringMatching(/^must not contain compatibility forms of letters/)]);
    }
    expect(nameLookAlikeReason('АО «Қазпошта» № 1')).toBeNull();
  });

  it('refuses a name not in NFC: a decomposed é or й looks like the composed one', () => {
    for (const name of ['Cafe\u0301 Astana', 'Бірыңғай жинақтаушы'.normalize('NFD') + ' й'.normalize('NFD'), '\u212Azpost']) {
      expect([name, nameLookAlikeReason(name)]).toEqual([name, expect.stringMatching(/^must be in Unicode NFC form/)]);
    }
  });
});

class Named {
  @IsString() @IsUnambiguousName()
  name: string;
}

describe('IsUnambiguousName', () => {
  it('words the error with the field and the reason, as the API answers it', () => {
    const errors = flattenValidationErrors(validateSync(plainToInstance(Named, { name: 'Kаzpost' })));
    expect(errors).toEqual([{ field: 'name', reason: expect.stringMatching(/^must not mix scripts in one word: "Kаzpost" has Latin and Cyrillic letters/) }]);
    expect(validateSync(plainToInstance(Named, { name: 'Kazpost' }))).toEqual([]);
  });

  it('leaves a value that is no string to the type rule', () => {
    const errors = flattenValidationErrors(validateSync(plainToInstance(Named, { name: 5 })));
    expect(errors).toEqual([{ field: 'name', reason: 'must be a string' }]);
  });
});

import { scriptOf, UNLISTED_SCRIPT } from './unicode-scripts';

describe('scriptOf', () => {
  it('names the script of a letter by its Script property', () => {
    expect(['h', 'г', 'һ', 'ο', 'ә', 'ق', '漢', 'か', 'カ', 'ʼ'].map(scriptOf)).toEqual(
      ['Latin', 'Cyrillic', 'Cyrillic', 'Greek', 'Cyrillic', 'Arabic', 'Han', 'Hiragana', 'Katakana', 'Common']);
  });

  // A script missing from the list would leave its letters unlisted, and two such scripts in one word unnoticed.
  it("knows the script of every letter this engine's Unicode has", () => {
    const unlisted: string[] = [];
    for (let cp = 0; cp < 0x110000; cp++) {
      const char = String.fromCodePoint(cp);
      if (/\p{L}/u.test(char) && scriptOf(char) === UNLISTED_SCRIPT) unlisted.push(`U+${cp.toString(16).toUpperCase()}`);
    }
    expect(unlisted).toEqual([]);
  });
});

import { hasCompatibilityLetter, mixedScriptWord, refusedWith } from './look-alike-codes';

/** A source's or recipient's name as the API documentation states it. */
export const NAME_RULE =
  'In Unicode NFC, with no fullwidth or styled letters, no invisible characters (zero-width space, zero-width joiner and non-joiner, word joiner, soft hyphen and the other ' +
  'Default_Ignorable code points), each word (a run of letters) in one script: "Kazpost" and "АО «Қазпошта» № 1" are names, "Kаzpost" (a Cyrillic а) is not. ' +
  'Spaces, digits, №, quotes and punctuation are free.';

/** U+200B for a zero-width space. */
const codePoint = (char: string) => `U+${(char.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * Why a source's or a recipient's name (an organisation's, or a person's) could pass for another one that looks the
 * same, or null.
 * `Kazpost`, `Kazpost` with a zero-width space and `Kаzpost` with a Cyrillic а read alike and would be three
 * recipients in the transfers report. Unlike a code, a name may hold spaces and punctuation (`АО «Казпочта» № 1`):
 * only what cannot be seen or tells letters apart by script alone is refused. Events already stored are not checked
 * again: this is a rule for what is written from now on.
 */
export function nameLookAlikeReason(name: string): string | null {
  // ASCII has no invisible character, one script of letters, and is NFC.
  if (/^[\x00-\x7f]*$/.test(name)) return null;
  if (name.normalize('NFC') !== name) {
    return 'must be in Unicode NFC form: é as one character, not e and a combining accent, which looks the same and is another name';
  }
  const invisible = /\p{Default_Ignorable_Code_Point}/u.exec(name);
  if (invisible) {
    return `must not contain invisible characters: ${codePoint(invisible[0])} at character ${[...name.slice(0, invisible.index)].length + 1} ` +
      '(zero-width spaces and joiners, word joiners, soft hyphens and the like) make a name look like another one';
  }
  if (hasCompatibilityLetter(name)) {
    return 'must not contain compatibility forms of letters (fullwidth Ｋ, styled 𝗞, ligatures such as ﬁ): they look like the plain letters, which make another name';
  }
  const mixed = mixedScriptWord(name);
  return mixed && `must not mix scripts in one word: ${mixed}; write each word in one script`;
}

/** A name no other name looks like (nameLookAlikeReason). */
export const IsUnambiguousName = refusedWith('isUnambiguousName', nameLookAlikeReason);

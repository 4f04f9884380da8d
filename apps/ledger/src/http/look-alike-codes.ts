import { ValidateBy, type ValidationOptions } from 'class-validator';
import { scriptOf } from './unicode-scripts';

/** A code as the API documentation states it: CODE's shape and the rules below. */
export const CODE_RULE =
  'A code: letters, the digits 0-9 and . _ : @ / -, beginning with a letter or digit, in Unicode NFC, with no fullwidth, styled or invisible letters; ' +
  'each word (a run of letters) in one script. hr-17, кадр-бөлімі and hr-кадр are codes; hг-17 (a Cyrillic г among Latin letters) is not.';

/** Scripts one word is written in together (UTS #39: Japanese, Korean, Chinese with Bopomofo). */
const WRITTEN_TOGETHER: readonly (readonly string[])[] = [['Han', 'Hiragana', 'Katakana'], ['Han', 'Hangul'], ['Han', 'Bopomofo']];
/** Letters used with every script (ʼ, ー): part of no script's word alone. */
const NEUTRAL = new Set(['Common', 'Inherited']);

/**
 * The scripts of a word's letters, in their order, when they are more than one and not ones written together; null
 * for a word in one script.
 */
function mixedScripts(word: string): string[] | null {
  const scripts = new Set<string>();
  for (const letter of word) {
    const script = scriptOf(letter);
    if (!NEUTRAL.has(script)) scripts.add(script);
  }
  if (scripts.size < 2) return null;
  const all = [...scripts];
  return WRITTEN_TOGETHER.some((group) => all.every((script) => group.includes(script))) ? null : all;
}

/**
 * The first word of `text` (a run of letters) that mixes scripts, said as the start of a reason (`"hг" has Latin and
 * Cyrillic letters, some of which look alike (Latin a, Cyrillic а)`), or null when each word is in one script. Codes
 * (below) and organisations' names (look-alike-names.ts) hold each word to one.
 */
export function mixedScriptWord(text: string): string | null {
  for (const word of text.match(/\p{L}+/gu) ?? []) {
    const scripts = mixedScripts(word);
    if (scripts) return `"${word}" has ${scripts.join(' and ')} letters, some of which look alike (Latin a, Cyrillic а)`;
  }
  return null;
}

/**
 * Why a code could be mistaken for another one that looks the same, or null. The codes name people, roles and units
 * in what officials and data subjects read: `hг-17` (Cyrillic г), `һr-17` (Cyrillic һ) or `ｈr-17` (fullwidth ｈ)
 * would pass for the staff member `hr-17`, and a composed and a decomposed é for each other. Codes in one script
 * (`кадр-бөлімі`) and words of different scripts parted by a separator (`hr-кадр`) are fine. Events already stored
 * are not checked again: this is a rule for what is written from now on.
 */
export function lookAlikeReason(code: string): string | null {
  // ASCII: Latin letters and the digits 0-9 only, each one character.
  if (/^[\x00-\x7f]*$/.test(code)) return null;
  if (code.normalize('NFC') !== code) {
    return 'must be in Unicode NFC form: é as one character, not e and a combining accent, which looks the same and is another code';
  }
  // The IIN check reads other digits as these (iin.ts); in a code they only look like them, or like letters (Ⅰ, Ⅽ).
  if (/(?![0-9])\p{N}/u.test(code)) return 'must write numbers with the digits 0-9 only: not digits of other scripts (٣, ３), superscripts (²) or numerals (Ⅻ)';
  // Default_Ignorable letters show nothing: `hr-17` followed by one would pass for `hr-17` (text-patterns.ts NOT_BLANK).
  if (/\p{Default_Ignorable_Code_Point}/u.test(code)) {
    return 'must not contain invisible letters (the Hangul fillers U+115F, U+1160, U+3164, U+FFA0): with one, a code looks like another, or like nothing';
  }
  // Letters only: a no-break space or a fullwidth hyphen is no letter, and the code's shape (CODE) refuses it as what it is.
  if (hasCompatibilityLetter(code)) {
    return 'must not contain compatibility forms of letters (fullwidth ｈ, styled 𝗁, ligatures such as ﬁ): they look like the plain letters, which make another code';
  }
  const mixed = mixedScriptWord(code);
  return mixed && `must not mix scripts in one word: ${mixed}; write each word in one script, or part words of different scripts with . _ : @ / or -`;
}

/** Whether `text` holds a letter that has a plainer form (fullwidth ｈ, styled 𝗁, the ligature ﬁ): it looks like that form. */
export function hasCompatibilityLetter(text: string): boolean {
  for (const c of text) if (/\p{L}/u.test(c) && c.normalize('NFKC') !== c) return true;
  return false;
}

/**
 * A property decorator that refuses a string for which `reasonOf` gives a reason, saying it after the property's name;
 * other values are left to the type's own rule. The look-alike rules of codes and of names both take this form.
 */
export function refusedWith(name: string, reasonOf: (value: string) => string | null): (options?: ValidationOptions) => PropertyDecorator {
  return (options) => ValidateBy(
    {
      name,
      validator: {
        validate: (v: unknown) => typeof v !== 'string' || reasonOf(v) === null,
        defaultMessage: (args) => `${args?.property ?? 'value'} ${(typeof args?.value === 'string' && reasonOf(args.value)) || 'is refused'}`,
      },
    },
    options,
  );
}

/** A code no other code looks like (lookAlikeReason). */
export const IsUnambiguousCode = refusedWith('isUnambiguousCode', lookAlikeReason);

/**
 * The scripts of Unicode 17 by their ECMAScript names (`\p{Script=...}`), the ones codes are written in first.
 * Common and Inherited are no script of their own: letters such as ʼ or ー are used with many (UTS #39 counts them
 * with every script). The list is checked against every letter in unicode-scripts.spec.ts.
 */
const SCRIPTS = [
  'Latin', 'Cyrillic', 'Common', 'Inherited', 'Greek', 'Arabic', 'Han', 'Hiragana', 'Katakana', 'Hangul', 'Bopomofo', 'Armenian', 'Georgian',
  'Hebrew', 'Coptic', 'Cherokee', 'Syriac', 'Thaana', 'Nko', 'Samaritan', 'Mandaic', 'Devanagari', 'Bengali', 'Gurmukhi', 'Gujarati',
  'Oriya', 'Tamil', 'Telugu', 'Kannada', 'Malayalam', 'Sinhala', 'Thai', 'Lao', 'Tibetan', 'Myanmar', 'Ethiopic', 'Canadian_Aboriginal',
  'Ogham', 'Runic', 'Tagalog', 'Hanunoo', 'Buhid', 'Tagbanwa', 'Khmer', 'Mongolian', 'Limbu', 'Tai_Le', 'New_Tai_Lue', 'Buginese',
  'Tai_Tham', 'Balinese', 'Sundanese', 'Batak', 'Lepcha', 'Ol_Chiki', 'Braille', 'Glagolitic', 'Tifinagh', 'Yi', 'Lisu', 'Vai', 'Bamum',
  'Syloti_Nagri', 'Phags_Pa', 'Saurashtra', 'Kayah_Li', 'Rejang', 'Javanese', 'Cham', 'Tai_Viet', 'Meetei_Mayek', 'Linear_B', 'Lycian',
  'Carian', 'Old_Italic', 'Gothic', 'Old_Permic', 'Ugaritic', 'Old_Persian', 'Deseret', 'Shavian', 'Osmanya', 'Osage', 'Elbasan',
  'Caucasian_Albanian', 'Vithkuqi', 'Todhri', 'Linear_A', 'Cypriot', 'Imperial_Aramaic', 'Palmyrene', 'Nabataean', 'Hatran', 'Phoenician',
  'Lydian', 'Sidetic', 'Meroitic_Hieroglyphs', 'Meroitic_Cursive', 'Kharoshthi', 'Old_South_Arabian', 'Old_North_Arabian', 'Manichaean',
  'Avestan', 'Inscriptional_Parthian', 'Inscriptional_Pahlavi', 'Psalter_Pahlavi', 'Old_Turkic', 'Old_Hungarian', 'Hanifi_Rohingya',
  'Garay', 'Yezidi', 'Old_Sogdian', 'Sogdian', 'Old_Uyghur', 'Chorasmian', 'Elymaic', 'Brahmi', 'Kaithi', 'Sora_Sompeng', 'Chakma',
  'Mahajani', 'Sharada', 'Khojki', 'Multani', 'Khudawadi', 'Grantha', 'Tulu_Tigalari', 'Newa', 'Tirhuta', 'Siddham', 'Modi', 'Takri',
  'Ahom', 'Dogra', 'Warang_Citi', 'Dives_Akuru', 'Nandinagari', 'Zanabazar_Square', 'Soyombo', 'Pau_Cin_Hau', 'Sunuwar', 'Bhaiksuki',
  'Marchen', 'Masaram_Gondi', 'Gunjala_Gondi', 'Tolong_Siki', 'Makasar', 'Kawi', 'Cuneiform', 'Cypro_Minoan', 'Egyptian_Hieroglyphs',
  'Anatolian_Hieroglyphs', 'Gurung_Khema', 'Mro', 'Tangsa', 'Bassa_Vah', 'Pahawh_Hmong', 'Kirat_Rai', 'Medefaidrin', 'Beria_Erfe', 'Miao',
  'Tangut', 'Nushu', 'Khitan_Small_Script', 'Duployan', 'SignWriting', 'Nyiakeng_Puachue_Hmong', 'Toto', 'Wancho', 'Nag_Mundari', 'Ol_Onal',
  'Tai_Yo', 'Mende_Kikakui', 'Adlam', 'Chisoi',
] as const;

/** What scriptOf answers for a letter of a script this engine knows and the list does not (a newer Unicode's). */
export const UNLISTED_SCRIPT = 'an unlisted script';

let patterns: readonly (readonly [string, RegExp])[] | null = null;
const known = new Map<string, string>();
/** Enough for every letter codes are written in; a client sending all of Unicode's cannot grow it without end. */
const KNOWN_MAX = 10_000;

/** Built on first use; a script an older Node does not know yet (Node 20.19's Unicode) is left out. */
function scriptPatterns(): readonly (readonly [string, RegExp])[] {
  if (patterns) return patterns;
  const built: [string, RegExp][] = [];
  for (const name of SCRIPTS) {
    try {
      built.push([name, new RegExp(`^\\p{Script=${name}}$`, 'u')]);
    } catch {
      // Unknown to this engine's Unicode: no letter of it can be told apart here anyway.
    }
  }
  return (patterns = built);
}

/**
 * The Unicode script of one character (`Latin`, `Cyrillic`, `Common`...), by its Script property. Remembered per
 * character: a batch of codes in a script far down the list would otherwise test each letter against it all.
 */
export function scriptOf(char: string): string {
  const remembered = known.get(char);
  if (remembered !== undefined) return remembered;
  const script = scriptPatterns().find(([, pattern]) => pattern.test(char))?.[0] ?? UNLISTED_SCRIPT;
  if (known.size >= KNOWN_MAX) known.clear();
  known.set(char, script);
  return script;
}

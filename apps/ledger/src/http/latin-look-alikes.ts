/**
 * Letters of other scripts that look like one ASCII letter or digit, from Unicode's confusables (UTS #39,
 * confusables.txt: those whose skeleton is a single ASCII character), for the scripts codes here are written in
 * (Cyrillic above all) and their neighbours: Greek, Armenian, and two IPA letters. Kazakh Latin's ı is left out on
 * purpose: it is a letter of the alphabet (bılım), and its missing dot tells it from i.
 */
const LOOK_ALIKES: Readonly<Record<string, string>> = {
  // Cyrillic
  а: 'a', б: '6', г: 'r', е: 'e', о: 'o', р: 'p', с: 'c', у: 'y', х: 'x', ѕ: 's', і: 'i', ј: 'j', ѡ: 'w', ѵ: 'v', ү: 'y', һ: 'h',
  ҽ: 'e', ӏ: 'i', ԁ: 'd', ԛ: 'q', ԝ: 'w',
  А: 'A', В: 'B', Е: 'E', З: '3', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', У: 'Y', Х: 'X', Ь: 'b', Ѕ: 'S', І: 'l',
  Ј: 'J', Ѵ: 'V', Ү: 'Y', Ӏ: 'l', Ӡ: '3', Ԍ: 'G', Ԝ: 'W',
  // Greek
  Α: 'A', Β: 'B', Ε: 'E', Ζ: 'Z', Η: 'H', Ι: 'l', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T', Υ: 'Y', Χ: 'X', Ϳ: 'J', Ϲ: 'C',
  α: 'a', γ: 'y', ι: 'i', ν: 'v', ο: 'o', ρ: 'p', σ: 'o', υ: 'u', ϲ: 'c', ϳ: 'j',
  // Armenian
  Ս: 'U', Տ: 'S', Օ: 'O', գ: 'q', զ: 'q', հ: 'h', ո: 'n', ռ: 'n', ս: 'u', ց: 'g', ք: 'f', օ: 'o',
  // IPA letters (Latin script): script g, alpha
  ɡ: 'g', ɑ: 'a',
};

/**
 * The ASCII code `code` reads as, when it has letters outside ASCII and each of them looks like an ASCII letter or
 * digit (`һг-17` reads as `hr-17`, `аре` as `ape`); null otherwise. A code with one letter of its own (`кадр`: к, д)
 * does not read as ASCII, and mixed words are refused before this is asked (mixedScriptWord).
 */
export function asciiLookAlike(code: string): string | null {
  let ascii = '';
  let foreign = false;
  for (const c of code) {
    if (c.charCodeAt(0) < 0x80) {
      ascii += c;
      continue;
    }
    const like = LOOK_ALIKES[c];
    if (like === undefined) return null;
    ascii += like;
    foreign = true;
  }
  return foreign ? ascii : null;
}

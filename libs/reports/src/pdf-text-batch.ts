/**
 * Draws many single-line strings in one content-stream write. pdfkit's `text()` costs about 20 µs a line (a saved
 * graphics state, a transform and eight small buffer writes each), which made a 1,000-event report take 600 ms; one
 * write per table row takes a third of that. The glyphs are encoded by pdfkit's own font object, so subsetting, the
 * ToUnicode map (selectable text) and kerning come out as pdfkit makes them. This relies on members pdfkit 0.20 does
 * not declare in its types: the document's `_font` and `_fontSize`, the font's `id`, `ascender`, `ref` and `encode`.
 * `fontOf` checks them and fails loudly if a pdfkit upgrade changes them (pdfkit is pinned to an exact version).
 */

interface GlyphPosition {
  readonly xAdvance: number;
  readonly advanceWidth: number;
  readonly xOffset: number;
  readonly yOffset: number;
}

interface FontInternals {
  readonly id: string;
  /** In thousandths of the font size. */
  readonly ascender: number;
  ref(): unknown;
  encode(text: string): [string[], GlyphPosition[]];
}

function fontOf(doc: PDFKit.PDFDocument): { font: FontInternals; size: number } {
  const { _font: font, _fontSize: size } = doc as unknown as { _font?: Partial<FontInternals>; _fontSize?: unknown };
  if (
    !font ||
    typeof size !== 'number' ||
    typeof font.id !== 'string' ||
    typeof font.ascender !== 'number' ||
    typeof font.ref !== 'function' ||
    typeof font.encode !== 'function'
  ) {
    throw new Error('pdfkit font internals are not as pdfkit 0.20 has them; see pdf-text-batch.ts');
  }
  return { font: font as FontInternals, size };
}

const num = (n: number): string => n.toFixed(2);
// Kerning values repeat (a font has a few hundred pairs): format each once.
const kerns = new Map<number, string>();
const kernOf = (kern: number): string => {
  let text = kerns.get(kern);
  if (text === undefined) {
    text = String(Math.round(-kern * 1000) / 1000);
    kerns.set(kern, text);
  }
  return text;
};

/** TJ operands already encoded in one document, by font and text; null where pdfkit must place the text itself. */
/** As pdfkit's own _fragment: glyph runs, each kerning adjustment (in thousandths of the size) after its glyph. */
function encode(font: FontInternals, text: string): string | null {
  const [glyphs, positions] = font.encode(text);
  if (positions.some((p) => p.xOffset !== 0 || p.yOffset !== 0)) return null;
  const parts: string[] = [];
  let last = 0;
  positions.forEach((p, i) => {
    const kern = p.xAdvance - p.advanceWidth;
    if (kern !== 0) {
      parts.push(`<${glyphs.slice(last, i + 1).join('')}> ${kernOf(kern)}`);
      last = i + 1;
    }
  });
  if (last < glyphs.length) parts.push(`<${glyphs.slice(last).join('')}>`);
  return `[${parts.join(' ')}]`;
}

export type EncodedText = Map<string, string | null>;

export class TextBatch {
  private readonly ops: string[] = [];
  private fontKey = '';

  /** `encoded` must belong to `doc`: a font's glyph subset is the document's. */
  constructor(
    private readonly doc: PDFKit.PDFDocument,
    private readonly encoded: EncodedText,
  ) {}

  /** Queues `text` with its top-left corner at (x, y), in the document's current font and size. */
  add(text: string, x: number, y: number): void {
    if (text === '') return;
    const doc = this.doc;
    const { font, size } = fontOf(doc);
    const cacheKey = `${font.id}\u0000${text}`;
    let operand = this.encoded.get(cacheKey);
    if (operand === undefined) {
      operand = encode(font, text);
      this.encoded.set(cacheKey, operand);
    }
    // Marks placed by offset (rare in Cyrillic) are left to pdfkit, which positions each one.
    if (operand === null) {
      doc.text(text, x, y, { lineBreak: false });
      return;
    }
    doc.page.fonts[font.id] ??= font.ref();
    const key = `${font.id} ${size}`;
    if (key !== this.fontKey) {
      this.ops.push(`/${font.id} ${num(size)} Tf`);
      this.fontKey = key;
    }
    const baseline = doc.page.height - y - (font.ascender / 1000) * size;
    this.ops.push(`1 0 0 1 ${num(x)} ${num(baseline)} Tm ${operand} TJ`);
  }

  /** Writes what was queued, in the current fill colour. The page's flipped y axis is undone for the text. */
  flush(): void {
    if (this.ops.length === 0) return;
    const h = num(this.doc.page.height);
    this.doc.addContent(['q', `1 0 0 -1 0 ${h} cm`, 'BT', ...this.ops, 'ET', 'Q'].join('\n'));
    this.ops.length = 0;
    this.fontKey = '';
  }
}

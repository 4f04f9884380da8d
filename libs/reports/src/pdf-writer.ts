import { TextBatch, type EncodedText } from './pdf-text-batch';

/**
 * A small flow writer over pdfkit: wrapped text, and tables whose rows break across pages with the header repeated.
 * Lines are wrapped here, by summing cached word widths (pdfkit's wrapper would run twice per cell, to measure and to
 * draw), and a table row's lines are drawn in one batch.
 */

export type FontName = 'regular' | 'bold';

export interface PdfWriterOptions {
  /** Font file (or registered name) for each of the two weights. */
  readonly fonts: { readonly [F in FontName]: string };
}

export interface TableStyle {
  readonly font: FontName;
  readonly size: number;
  /** Per column; a column's `font` wins over the table's. */
  readonly columnFonts?: readonly FontName[];
  readonly header?: { readonly cells: readonly string[] };
  /** Relative column widths; a column is never made narrower than its longest word (or line, if kept whole). */
  readonly weights: readonly number[];
  /** Columns whose lines are never wrapped (dates), when the page is wide enough. */
  readonly nowrap?: readonly boolean[];
}

const PAD = 3;
const HEADER_FILL = '#e9e9e9';
const RULE = '#8a8a8a';

export class PdfWriter {
  y: number;
  /** Widths of words and lines, per font and size: table rows repeat the same words thousands of times. */
  private readonly widths = new Map<string, Map<string, number>>();
  private readonly encoded: EncodedText = new Map();

  constructor(
    readonly doc: PDFKit.PDFDocument,
    private readonly options: PdfWriterOptions,
  ) {
    this.y = doc.page.margins.top;
  }

  get left(): number {
    return this.doc.page.margins.left;
  }

  get contentWidth(): number {
    return this.doc.page.width - this.doc.page.margins.left - this.doc.page.margins.right;
  }

  private get bottom(): number {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }

  newPage(): void {
    this.doc.addPage();
    this.y = this.doc.page.margins.top;
  }

  /** Starts a new page unless `height` points fit below the current position. */
  ensure(height: number): void {
    if (this.y + height > this.bottom) this.newPage();
  }

  lineHeight(font: FontName, size: number): number {
    return this.use(font, size).currentLineHeight(true);
  }

  /** Wrapped paragraphs across the full width. */
  paragraph(text: string, font: FontName, size: number, gapAfter = 4): void {
    const lines = this.wrap(text, this.contentWidth, font, size);
    const lh = this.lineHeight(font, size);
    for (const line of lines) {
      this.ensure(lh);
      this.use(font, size).text(line, this.left, this.y, { lineBreak: false });
      this.y += lh;
    }
    this.y += gapAfter;
  }

  /** A table: rows stay whole when they fit on a page; a taller row is split between pages. */
  table(rows: readonly (readonly string[])[], style: TableStyle): void {
    const lh = this.lineHeight(style.font, style.size);
    const fontOf = (i: number): FontName => style.columnFonts?.[i] ?? style.font;
    const widths = this.columnWidths(rows, style, fontOf);
    // Cells repeat down a column (the same purpose, unit, role): wrap each distinct one once.
    const wrapped = widths.map(() => new Map<string, string[]>());
    const wrapRow = (cells: readonly string[], font?: FontName): string[][] =>
      widths.map((w, i) => {
        const text = cells[i] ?? '';
        const cache = font ? undefined : wrapped[i];
        const hit = cache?.get(text);
        if (hit) return hit;
        const lines = this.wrap(text, w - 2 * PAD, font ?? fontOf(i), style.size);
        cache?.set(text, lines);
        return lines;
      });
    const header = style.header ? wrapRow(style.header.cells, 'bold') : undefined;
    const headerHeight = header ? Math.max(...header.map((c) => c.length)) * lh + 2 * PAD : 0;
    const drawHeader = (): void => {
      if (!header) return;
      this.doc.rect(this.left, this.y, this.contentWidth, headerHeight).fill(HEADER_FILL);
      this.doc.fillColor('#000');
      this.drawLines(header, widths, 0, Infinity, () => 'bold', style.size, lh);
      this.y += headerHeight;
      this.rule();
    };

    this.ensure(headerHeight + lh + 2 * PAD);
    drawHeader();
    for (const cells of rows) {
      const cellLines = wrapRow(cells);
      const lines = Math.max(1, ...cellLines.map((c) => c.length));
      const height = lines * lh + 2 * PAD;
      const fresh = this.doc.page.height - this.doc.page.margins.top - this.doc.page.margins.bottom - headerHeight;
      if (this.y + height > this.bottom && height <= fresh) {
        this.newPage();
        drawHeader();
      }
      for (let from = 0; from < lines; ) {
        let room = Math.floor((this.bottom - this.y - 2 * PAD) / lh);
        if (room < 1) {
          this.newPage();
          drawHeader();
          room = Math.floor((this.bottom - this.y - 2 * PAD) / lh);
        }
        const count = Math.min(room, lines - from);
        this.drawLines(cellLines, widths, from, from + count, fontOf, style.size, lh);
        this.y += count * lh + 2 * PAD;
        this.rule();
        from += count;
      }
    }
  }

  /** Splits text into lines no wider than `width`: at `\n`, then between words, then inside an over-long word. */
  wrap(text: string, width: number, font: FontName, size: number): string[] {
    const out: string[] = [];
    const space = this.width(' ', font, size);
    for (const paragraph of text.split('\n')) {
      let line = '';
      let lineWidth = 0;
      for (const word of paragraph.split(' ')) {
        const w = this.width(word, font, size);
        if (line !== '' && lineWidth + space + w <= width) {
          line += ` ${word}`;
          lineWidth += space + w;
          continue;
        }
        if (line !== '') out.push(line);
        if (w <= width) {
          line = word;
          lineWidth = w;
          continue;
        }
        // An over-long word (a UUID, a long code) breaks after its hyphens first, and only then anywhere.
        line = '';
        lineWidth = 0;
        for (const piece of word.split(/(?<=-)/).flatMap((part) => this.pieces(part, width, font, size))) {
          const pw = this.width(piece, font, size);
          if (line !== '' && lineWidth + pw > width) {
            out.push(line);
            line = '';
            lineWidth = 0;
          }
          line += piece;
          lineWidth += pw;
        }
      }
      out.push(line);
    }
    return out;
  }

  /** `part` whole when it fits in `width`, else its characters. */
  private pieces(part: string, width: number, font: FontName, size: number): string[] {
    return this.width(part, font, size) <= width ? [part] : Array.from(part);
  }

  /**
   * Widths in points across the full content width, as browsers lay out tables: each column gets at least its longest
   * word (its longest line, for a `nowrap` column) and at most its longest line; the room between is shared in
   * proportion to how much each column would use, times its weight. Words break only when even the minimum is too wide.
   */
  private columnWidths(rows: readonly (readonly string[])[], style: TableStyle, fontOf: (i: number) => FontName): number[] {
    const total = this.contentWidth;
    const extent = style.weights.map((_, i) => {
      const whole = style.nowrap?.[i] === true;
      const cells = new Set(rows.map((r) => r[i] ?? ''));
      const header = style.header?.cells[i];
      const measured = [...cells].map((cell) => this.extent(cell, fontOf(i), style.size));
      if (header !== undefined) measured.push(this.extent(header, 'bold', style.size));
      const max = Math.max(0, ...measured.map((m) => m.line)) + 2 * PAD + 0.5;
      const min = whole ? max : Math.max(0, ...measured.map((m) => m.word)) + 2 * PAD + 0.5;
      return { min, max };
    });
    const minTotal = extent.reduce((a, e) => a + e.min, 0);
    if (minTotal >= total) return extent.map((e) => (e.min / minTotal) * total);
    const grow = extent.map((e, i) => (e.max - e.min) * (style.weights[i] ?? 1));
    const growTotal = grow.reduce((a, b) => a + b, 0);
    const room = total - minTotal;
    const maxTotal = extent.reduce((a, e) => a + e.max, 0);
    // Wider than every column needs: spread the rest by weight instead.
    if (maxTotal <= total || growTotal === 0) {
      const weight = style.weights.reduce((a, b) => a + b, 0);
      return extent.map((e, i) => e.max + ((total - maxTotal) * (style.weights[i] ?? 0)) / weight);
    }
    return extent.map((e, i) => Math.min(e.max, e.min + (room * (grow[i] ?? 0)) / growTotal));
  }

  /** The widest unbreakable piece (a word, or a part of one up to a hyphen) and the widest line of `text`. */
  private extent(text: string, font: FontName, size: number): { word: number; line: number } {
    const space = this.width(' ', font, size);
    let word = 0;
    let line = 0;
    for (const paragraph of text.split('\n')) {
      let sum = -space;
      for (const w of paragraph.split(' ')) {
        const width = this.width(w, font, size);
        word = Math.max(word, ...(width > word ? w.split(/(?<=-)/).map((piece) => this.width(piece, font, size)) : []));
        sum += space + width;
      }
      line = Math.max(line, sum);
    }
    return { word, line };
  }

  private drawLines(
    cells: readonly (readonly string[])[],
    widths: readonly number[],
    from: number,
    to: number,
    fontOf: (i: number) => FontName,
    size: number,
    lh: number,
  ): void {
    const batch = new TextBatch(this.doc, this.encoded);
    let x = this.left;
    cells.forEach((lines, i) => {
      this.use(fontOf(i), size);
      lines.slice(from, to).forEach((line, k) => batch.add(line, x + PAD, this.y + PAD + k * lh));
      x += widths[i] ?? 0;
    });
    batch.flush();
  }

  private rule(): void {
    this.doc
      .moveTo(this.left, this.y)
      .lineTo(this.left + this.contentWidth, this.y)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke();
  }

  private use(font: FontName, size: number): PDFKit.PDFDocument {
    return this.doc.font(this.options.fonts[font]).fontSize(size);
  }

  private width(text: string, font: FontName, size: number): number {
    const key = `${font} ${size}`;
    let cache = this.widths.get(key);
    if (cache === undefined) {
      cache = new Map();
      this.widths.set(key, cache);
    }
    let w = cache.get(text);
    if (w === undefined) {
      w = this.use(font, size).widthOfString(text);
      cache.set(text, w);
    }
    return w;
  }
}

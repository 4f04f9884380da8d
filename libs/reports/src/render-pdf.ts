import PDFDocument from 'pdfkit';
import type { AccessReport } from './access-report.model';
import { PdfWriter } from './pdf-writer';
import { reportHeader, reportSections, type ReportSection } from './report-rows';

/**
 * DejaVu Sans has every Kazakh letter; pdfkit's built-in Helvetica (WinAnsi) prints Cyrillic as garbage, so it is never
 * loaded: the regular file is the document's default font.
 */
export const REPORT_FONT_FILES = {
  regular: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
} as const;

const MARGIN = { top: 36, bottom: 42, left: 36, right: 36 };
const SIZE = { title: 17, heading: 12.5, caption: 9.5, body: 9, table: 8, footer: 7.5 };
const FIELD_LABEL_SHARE = 0.3;

function drawSection(w: PdfWriter, section: ReportSection): void {
  const headingHeight = w.lineHeight('bold', SIZE.heading);
  // Keep a heading with at least its first line of content.
  w.ensure(headingHeight + 8 + 3 * w.lineHeight('regular', SIZE.table));
  w.y += 8;
  w.paragraph(section.title, 'bold', SIZE.heading, 4);
  if (section.rows.length === 0) {
    w.paragraph(section.empty, 'regular', SIZE.body, 2);
    return;
  }
  const fieldStyle = {
    font: 'regular',
    size: SIZE.body,
    columnFonts: ['bold', 'regular'],
    weights: [FIELD_LABEL_SHARE, 1 - FIELD_LABEL_SHARE],
  } as const;
  switch (section.layout) {
    case 'fields':
      for (const row of section.rows) w.table(section.columns.map((label, i) => [label, row[i] ?? '']), fieldStyle);
      return;
    case 'records':
      for (const row of section.rows) {
        w.ensure(3 * w.lineHeight('bold', SIZE.caption));
        w.y += 4;
        w.paragraph(row[0] ?? '', 'bold', SIZE.caption, 2);
        w.table(section.columns.slice(1).map((label, i) => [label, row[i + 1] ?? '']), fieldStyle);
      }
      return;
    case 'table':
      w.table(section.rows, {
        font: 'regular',
        size: SIZE.table,
        header: { cells: section.columns },
        weights: section.widths,
        nowrap: section.nowrap,
      });
      return;
    default: {
      const never: never = section.layout;
      throw new RangeError(`unknown layout ${String(never)}`);
    }
  }
}

function numberPages(doc: PDFKit.PDFDocument, title: string): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    // Writing inside the bottom margin would make pdfkit open a page; lift the margin while the footer is drawn.
    doc.page.margins.bottom = 0;
    const y = doc.page.height - bottom + 14;
    doc.font(REPORT_FONT_FILES.regular).fontSize(SIZE.footer).fillColor('#000');
    doc.text(title, MARGIN.left, y, { lineBreak: false });
    const label = `${i + 1 - range.start} / ${range.count}`;
    doc.text(label, doc.page.width - MARGIN.right - doc.widthOfString(label), y, { lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
}

/**
 * The access report as an A4 (landscape) PDF in the report's language, with DejaVu Sans embedded and the text
 * selectable. Shows exactly the entries of `reportSections`, as the HTML does.
 */
export async function renderAccessReportPdf(report: AccessReport): Promise<Buffer> {
  const header = reportHeader(report);
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margins: MARGIN,
    font: REPORT_FONT_FILES.regular,
    lang: report.language,
    displayTitle: true,
    bufferPages: true,
    info: { Title: header.title, Author: report.holder.body, Creator: 'Derbes', CreationDate: new Date(report.generatedAt) },
  });
  const done = new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const w = new PdfWriter(doc, { fonts: REPORT_FONT_FILES });
  doc.fillColor('#000');
  w.paragraph(header.title, 'bold', SIZE.title, 6);
  w.paragraph(header.lead, 'regular', SIZE.body, 3);
  w.paragraph(header.generatedAt, 'regular', SIZE.body, 1);
  w.paragraph(header.timeZone, 'regular', SIZE.body, 3);
  for (const notice of header.notices) w.paragraph(notice, 'bold', SIZE.body, 3);
  for (const section of reportSections(report)) drawSection(w, section);
  numberPages(doc, header.title);
  doc.end();
  return done;
}

import type { Page } from 'playwright-core';

export interface PageAudit {
  /** Form controls a screen reader would announce without a name. */
  readonly unlabelled: string[];
  /** Text whose contrast with its background is under WCAG AA (4.5:1; 3:1 for large text). */
  readonly lowContrast: string[];
  readonly h1: number;
  readonly lang: string;
  readonly mains: number;
  /** Elements reaching past the window's right edge (the page should scroll down only; wide tables scroll in their region). */
  readonly overflowsWidth: string[];
}

/**
 * Checks a page in the browser: names of form controls, contrast of every visible text against the first opaque
 * background behind it, headings, language, landmarks, width. Written as a script string: the tests compile without
 * the DOM's types.
 */
const AUDIT = `(() => {
  const rgb = (text) => { const m = text.match(/[\\d.]+/g) || ['0', '0', '0', '0']; return m.map(Number).concat(m.length === 3 ? [1] : []); };
  const lum = ([r, g, b]) => { const c = [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }); return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]; };
  const background = (el) => { for (let e = el; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor); if (c[3] > 0.5) return c; } return [255, 255, 255, 1]; };
  const visible = (el) => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el); return r.width > 1 && r.height > 1 && s.visibility !== 'hidden' && s.display !== 'none'; };
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.name ? '[name=' + el.name + ']' : '');
  const unlabelled = [...document.querySelectorAll('input:not([type=hidden]), select, textarea, button')]
    .filter((el) => !((el.labels && el.labels.length > 0) || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || (el.tagName === 'BUTTON' && el.textContent.trim())))
    .map(describe);
  const lowContrast = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || !el || !visible(el) || el.closest('.chart, .skip, .sr-only, caption, script')) continue;
    const style = getComputedStyle(el);
    const fg = rgb(style.color);
    const [a, b] = [lum(fg), lum(background(el))];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) lowContrast.push(describe(el) + ' "' + node.textContent.trim().slice(0, 30) + '" ' + ratio.toFixed(2));
  }
  return { unlabelled, lowContrast, h1: document.querySelectorAll('h1').length, lang: document.documentElement.lang,
    mains: document.querySelectorAll('main').length,
    overflowsWidth: document.documentElement.scrollWidth > window.innerWidth + 1
      ? [...document.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1 && !el.closest('.table-wrap'))
        .slice(0, 5).map((el) => describe(el) + '.' + el.className + ' ' + Math.round(el.getBoundingClientRect().right)) : [] };
})()`;

export function auditPage(page: Page): Promise<PageAudit> {
  return page.evaluate<PageAudit>(AUDIT);
}

import { escapeHtml } from '@derbes/reports';

/**
 * Markup known to be safe: made by `html` (which escapes every value put in it), or, in one place, JSON for a chart
 * whose `<` are escaped (chart.ts).
 */
export class Html {
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

/** What a template may hold: text and numbers (escaped), markup, nothing (null, undefined, false), or lists of these. */
export type Part = Html | string | number | null | undefined | false | readonly Part[];

function render(part: Part): string {
  if (part === null || part === undefined || part === false) return '';
  if (part instanceof Html) return part.markup;
  if (Array.isArray(part)) return part.map(render).join('');
  return escapeHtml(String(part));
}

/**
 * The console's one way to make HTML: a template whose values are escaped unless they are markup made the same
 * way. Nothing else in the console writes a value into a page.
 */
export function html(strings: TemplateStringsArray, ...values: readonly Part[]): Html {
  let out = strings[0] as string;
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] as string);
  });
  return new Html(out);
}

import { codeContainsIin } from '@derbes/ledger';
import { LANGS } from '@derbes/register';
import { formatUtcOffset } from '@derbes/reports';
import { LANG_NAMES, t, type MessageKey } from '../i18n/console-i18n';
import { html, type Html } from './html';
import { codeName, type View } from './view';

export type Section = 'overview' | 'person' | 'requests' | 'violations' | 'activity' | 'transfers' | 'summary' | 'integrity';

const SECTIONS: readonly { readonly id: Section; readonly label: MessageKey; readonly personal?: boolean }[] = [
  { id: 'overview', label: 'nav.overview' },
  { id: 'person', label: 'nav.person', personal: true },
  { id: 'requests', label: 'nav.requests' },
  { id: 'violations', label: 'nav.violations' },
  { id: 'activity', label: 'nav.activity' },
  { id: 'transfers', label: 'nav.transfers' },
  { id: 'summary', label: 'nav.summary' },
  { id: 'integrity', label: 'nav.integrity' },
];

export interface Page {
  readonly title: string;
  readonly section?: Section;
  readonly body: Html;
  /** A notice shown above the content (after a form was handled). */
  readonly notice?: string;
  /** Scripts of the console's own assets, for the charts; every page works without them. */
  readonly scripts?: readonly string[];
}

/** This page's address in another language. */
/**
 * The same page in another language. A parameter that holds an IIN (typed into the address by mistake: no page of
 * the console puts one there) is left out, so that the page does not hand it on in its own links.
 */
function inLanguage(url: URL, lang: string): string {
  const query = new URLSearchParams([...new URLSearchParams(url.search)].filter(([name, value]) => !codeContainsIin(name) && !codeContainsIin(value)));
  query.set('lang', lang);
  return `${url.pathname}?${query.toString()}`;
}

function header(view: View, page: Page): Html {
  const who = view.who;
  const nav = who ? html`<nav class="sections" aria-label="${t(view.lang, 'nav.label')}"><ul>${SECTIONS.filter((s) => !s.personal || who.personal).map((s) =>
    html`<li><a href="/console/${s.id}"${s.id === page.section ? html` aria-current="page"` : ''}>${t(view.lang, s.label)}</a></li>`)}</ul></nav>` : '';
  const signOut = who && view.csrf ? html`<form class="sign-out" method="post" action="/console/sign-out">
      <input type="hidden" name="_csrf" value="${view.csrf}"><span class="who">${t(view.lang, 'who', { name: who.name, role: t(view.lang, who.role === 'auditor' ? 'role.auditor' : 'role.official'), unit: codeName(view, 'units', who.unit) })}</span>
      <button type="submit">${t(view.lang, 'signOut')}</button></form>` : '';
  return html`<header class="top">
    <div class="bar"><a class="brand" href="/console/overview">${t(view.lang, 'app.name')} <span>${t(view.lang, 'app.tagline')}</span></a>
    <nav class="langs" aria-label="${t(view.lang, 'lang.label')}"><ul>${LANGS.map((l) =>
      html`<li><a href="${inLanguage(view.url, l)}" lang="${l}" hreflang="${l}"${l === view.lang ? html` aria-current="true"` : ''}>${LANG_NAMES[l]}</a></li>`)}</ul></nav>
    ${signOut}</div>
    ${nav}
  </header>`;
}

/** The whole HTML document of a console page. */
export function layout(view: View, page: Page): string {
  return html`<!doctype html>
<html lang="${view.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title} · ${t(view.lang, 'app.name')}</title>
<link rel="icon" href="/console/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/console/assets/console.css">
${page.scripts?.length ? html`<link rel="stylesheet" href="/console/assets/uplot.css">` : ''}
</head>
<body>
<a class="skip" href="#main">${t(view.lang, 'skip')}</a>
${header(view, page)}
<main id="main" tabindex="-1">
<h1>${page.title}</h1>
${page.notice ? html`<p class="notice" role="status">${page.notice}</p>` : ''}
${page.body}
</main>
<footer><p>${t(view.lang, 'footer', { offset: formatUtcOffset(view.utcOffsetMinutes) })}</p></footer>
${(page.scripts ?? []).map((src) => html`<script src="${src}" defer></script>`)}
</body>
</html>
`.markup;
}

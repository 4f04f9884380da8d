import { REPORT_FORMATS, REPORT_LANGUAGES } from '@derbes/reports';
import { LANG_NAMES, t } from '../i18n/console-i18n';
import { csrfField, inputField, selectField, type Option } from './forms';
import { html, type Html } from './html';
import { layout } from './layout';
import type { View } from './view';

export interface LookupForm {
  readonly purposes: readonly Option[];
  readonly purpose?: string;
  /** The IIN's problem (its value is never shown back). */
  readonly iinError?: string;
  readonly purposeError?: string;
  /** The ledger knows nothing about the person looked up. */
  readonly unknown?: boolean;
}

/** The look-up: the IIN goes in a POST body, never in an address. */
export function lookupPage(view: View, form: LookupForm): string {
  const lang = view.lang;
  return layout(view, {
    title: t(lang, 'person.title'),
    section: 'person',
    body: html`<p>${t(lang, 'person.lead')}</p>
    ${form.unknown ? html`<p class="notice" role="status">${t(lang, 'person.unknown')}</p>` : ''}
    <form class="stacked" method="post" action="/console/person" autocomplete="off">
      ${csrfField(view)}
      ${inputField('iin', t(lang, 'field.iin'), undefined, { required: true, error: form.iinError, extra: html` inputmode="numeric" pattern="[0-9]{12}" maxlength="12" autocomplete="off"` })}
      ${selectField('purpose', t(lang, 'field.purpose'), form.purposes, form.purpose)}
      ${form.purposeError ? html`<p class="field-error">${form.purposeError}</p>` : ''}
      <p><button type="submit">${t(lang, 'person.find')}</button></p>
    </form>`,
  });
}

export type PersonTab = 'timeline' | 'inventory';

export interface PersonFrame {
  readonly subjectId: string;
  readonly purpose: string;
  readonly purposeName: string;
  readonly tab: PersonTab;
}

/** The parts every page about one person shares: who (by pseudonym), why, the tabs and the report's download. */
export function personPage(view: View, frame: PersonFrame, content: Html): string {
  const lang = view.lang;
  const base = `/console/subjects/${frame.subjectId}`;
  const query = `?purpose=${encodeURIComponent(frame.purpose)}`;
  const tab = (id: PersonTab, label: string) =>
    html`<li><a href="${base}/${id}${query}"${id === frame.tab ? html` aria-current="page"` : ''}>${label}</a></li>`;
  const languages = REPORT_LANGUAGES.map((l) => ({ value: l, label: LANG_NAMES[l] }));
  const formats = REPORT_FORMATS.map((f) => ({ value: f, label: f.toUpperCase() }));
  return layout(view, {
    title: t(lang, 'person.subject', { id: frame.subjectId.slice(0, 12) }),
    section: 'person',
    notice: t(lang, 'person.purposeStated', { purpose: frame.purposeName }),
    body: html`<p class="muted hash">${t(lang, 'person.pseudonym', { id: frame.subjectId })}</p>
    <nav aria-label="${t(lang, 'person.title')}"><ul class="tabs">${tab('timeline', t(lang, 'person.timeline'))}${tab('inventory', t(lang, 'person.inventory'))}</ul></nav>
    ${content}
    <section aria-labelledby="report-h"><h2 id="report-h">${t(lang, 'person.report')}</h2>
    <p>${t(lang, 'person.reportLead')}</p>
    <form class="filters" method="get" action="${base}/report">
      <input type="hidden" name="purpose" value="${frame.purpose}">
      ${selectField('reportLang', t(lang, 'field.language'), languages, lang)}
      ${selectField('format', t(lang, 'field.format'), formats, 'pdf')}
      <p><button type="submit">${t(lang, 'person.download')}</button></p>
    </form></section>`,
  });
}

/** Shown instead of a person's data until the reader states why they read it. */
export function purposePage(view: View, subjectId: string, tab: PersonTab, purposes: readonly Option[], error?: string): string {
  const lang = view.lang;
  return layout(view, {
    title: t(lang, 'person.subject', { id: subjectId.slice(0, 12) }),
    section: 'person',
    body: html`<p>${t(lang, 'person.choosePurpose')}</p>
    ${error ? html`<p class="error" role="alert">${error}</p>` : ''}
    <form class="stacked" method="get" action="/console/subjects/${subjectId}/${tab}">
      ${selectField('purpose', t(lang, 'field.purpose'), purposes, undefined)}
      <p><button type="submit">${t(lang, 'person.continue')}</button></p>
    </form>`,
  });
}

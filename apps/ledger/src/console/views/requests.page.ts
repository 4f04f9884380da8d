import { REQUEST_CHANNELS, REQUEST_KINDS } from '@derbes/ledger';
import { REPORT_LANGUAGES, codeLabel, formatDate, formatDateTime } from '@derbes/reports';
import type { FieldError } from '../../ledger-errors';
import type { QueueItem, QueuePage } from '../../subject-requests/request-queue.query';
import { LANG_NAMES, t } from '../i18n/console-i18n';
import { csrfField, inputField, selectField, tableRegion, type Option } from './forms';
import { html, type Html } from './html';
import { layout } from './layout';
import type { View } from './view';

/** What the registration form was sent with, shown again when it is refused (never the IIN). */
export interface RequestDraft {
  readonly requestId: string;
  readonly kind?: string;
  readonly channel?: string;
  readonly receivedAt?: string;
  readonly categories?: readonly string[];
  readonly detail?: string;
}

/** An answer or a refusal that was not taken: shown open on its row, with what was typed in it and why. */
export interface FailedAction {
  readonly requestId: string;
  readonly action: 'answer' | 'refuse';
  /** The note, or the reasons, as typed. */
  readonly text: string;
  /** The report's language chosen, for an answer. */
  readonly language?: string;
  readonly errors: readonly FieldError[];
}

export interface RequestsInput {
  readonly open: QueuePage;
  readonly closed: QueuePage;
  readonly categories: readonly Option[];
  /** Officials register, answer and refuse; auditors only look. */
  readonly mayAct: boolean;
  readonly draft: RequestDraft;
  readonly errors?: readonly FieldError[];
  readonly failed?: FailedAction;
  readonly notice?: string;
}

/** Where an open request stands today, or how a closed one was closed. */
export function standing(lang: View['lang'], r: QueueItem): string {
  if (r.status === 'open') {
    if (r.overdue) return t(lang, 'requests.overdue', { days: r.workingDaysOverdue });
    return r.dueToday ? t(lang, 'requests.dueToday') : t(lang, 'requests.dueBy', { deadline: localDay(r.deadline, lang) });
  }
  const how = codeLabel(lang, 'status', r.status);
  return r.late ? `${how}, ${t(lang, 'requests.late', { days: r.workingDaysLate ?? 0 })}` : `${how}, ${t(lang, 'requests.onTime')}`;
}

/** A local date (YYYY-MM-DD) in the page's words, as the deadline column writes it: noon UTC is that day at any offset. */
export function localDay(date: string, lang: View['lang']): string {
  return formatDate(`${date}T12:00:00Z`, lang, 0);
}

/** How sure a deadline (and so an overdue count) is when its year is only projected, or not in the calendar at all. */
function coverageNote(lang: View['lang'], r: QueueItem): Html | string {
  if (r.deadlineCoverage === 'projected') return html`<br><span class="muted">${t(lang, 'requests.projected')}</span>`;
  if (r.deadlineCoverage === 'not-covered') return html`<br><span class="bad">${t(lang, 'requests.notCovered')}</span>`;
  return '';
}

/** What a form was refused for, each field as the ledger names it. */
function formErrors(lang: View['lang'], errors: readonly FieldError[]): Html {
  return html`<div class="error" role="alert"><p>${t(lang, 'error.invalid')}</p><ul>${errors.map((e) => html`<li>${e.field}: ${e.reason}</li>`)}</ul></div>`;
}

function actions(view: View, r: QueueItem, failed: FailedAction | undefined): Html {
  const lang = view.lang;
  const languages = REPORT_LANGUAGES.map((l) => ({ value: l, label: LANG_NAMES[l] }));
  const answer = failed?.requestId === r.requestId && failed.action === 'answer' ? failed : undefined;
  const refuse = failed?.requestId === r.requestId && failed.action === 'refuse' ? failed : undefined;
  const invalid = (f: FailedAction | undefined) => (f ? html` aria-invalid="true"` : '');
  return html`<div class="actions">
    <details${answer ? html` open` : ''}><summary>${t(lang, 'requests.answer')}</summary>
      <form method="post" action="/console/requests/${r.requestId}/answer">${csrfField(view)}${answer ? formErrors(lang, answer.errors) : ''}
        ${r.kind === 'information' ? selectField(`language-${r.requestId}`, t(lang, 'field.language'), languages, answer?.language ?? lang) : ''}
        <p><label for="note-${r.requestId}">${t(lang, 'field.note')}</label><textarea id="note-${r.requestId}" name="note" maxlength="2000"${invalid(answer)}>${answer?.text ?? ''}</textarea></p>
        <p><button type="submit">${t(lang, 'requests.answer')}</button></p></form></details>
    <details${refuse ? html` open` : ''}><summary>${t(lang, 'requests.refuse')}</summary>
      <form method="post" action="/console/requests/${r.requestId}/refuse">${csrfField(view)}${refuse ? formErrors(lang, refuse.errors) : ''}
        <p><label for="reasons-${r.requestId}">${t(lang, 'field.reasons')}</label><textarea id="reasons-${r.requestId}" name="reasons" required maxlength="20000"${invalid(refuse)}>${refuse?.text ?? ''}</textarea></p>
        <p><button type="submit" class="danger">${t(lang, 'requests.refuse')}</button></p></form></details>
  </div>`;
}

function queueTable(view: View, caption: string, items: readonly QueueItem[], mayAct: boolean, failed?: FailedAction): Html {
  const lang = view.lang;
  if (items.length === 0) return html`<p>${t(lang, 'noEntries')}</p>`;
  const open = items[0]?.status === 'open';
  return tableRegion(caption, html`<table><caption>${caption}</caption><thead><tr>
    <th scope="col">${t(lang, 'requests.received')}</th><th scope="col">${t(lang, 'field.kind')}</th><th scope="col">${t(lang, 'field.channel')}</th>
    <th scope="col">${t(lang, 'requests.deadline')}</th><th scope="col">${t(lang, 'requests.status')}</th><th scope="col">${t(lang, 'requests.subject')}</th>
    ${open && mayAct ? html`<th scope="col">${t(lang, 'requests.actions')}</th>` : ''}</tr></thead><tbody>${items.map((r) => html`<tr data-request="${r.requestId}">
    <td>${formatDateTime(r.receivedAt, lang, view.utcOffsetMinutes)}</td>
    <td>${codeLabel(lang, 'request', r.kind)}${r.categories.length > 0 ? html`<br><span class="muted">${r.categories.map((c) => c.number).join(', ')}</span>` : ''}</td>
    <td>${codeLabel(lang, 'channel', r.channel)}</td>
    <td>${localDay(r.deadline, lang)}<br><span class="muted">${t(lang, 'requests.workingDays', { days: r.workingDays })}, ${t(lang, `requests.firstDay.${r.firstDay}`)}</span>${coverageNote(lang, r)}</td>
    <td${r.overdue ? html` class="bad"` : ''}>${standing(lang, r)}${r.closedAt ? html`<br><span class="muted">${t(lang, 'requests.closedAt')}: ${formatDateTime(r.closedAt, lang, view.utcOffsetMinutes)}</span>` : ''}</td>
    <td><code class="hash">${r.subjectId.slice(0, 12)}</code></td>
    ${open && mayAct ? html`<td>${actions(view, r, failed)}</td>` : ''}</tr>`)}</tbody></table>`);
}

function registerForm(view: View, input: RequestsInput): Html {
  const lang = view.lang;
  const d = input.draft;
  const error = (field: string) => input.errors?.filter((e) => e.field === field || e.field.startsWith(`${field}[`)).map((e) => e.reason).join('; ') || undefined;
  const kinds = REQUEST_KINDS.map((k) => ({ value: k, label: codeLabel(lang, 'request', k) }));
  const channels = REQUEST_CHANNELS.map((c) => ({ value: c, label: codeLabel(lang, 'channel', c) }));
  const categoriesError = error('categories');
  return html`<section aria-labelledby="new-h"><h2 id="new-h">${t(lang, 'requests.new')}</h2>
  ${input.errors?.length ? formErrors(lang, input.errors) : ''}
  <form class="stacked" method="post" action="/console/requests" autocomplete="off">${csrfField(view)}
    <input type="hidden" name="requestId" value="${d.requestId}">
    ${inputField('iin', t(lang, 'field.iin'), undefined, { required: true, error: error('subject.iin'), extra: html` inputmode="numeric" pattern="[0-9]{12}" maxlength="12"` })}
    ${selectField('kind', t(lang, 'field.kind'), kinds, d.kind)}
    ${selectField('channel', t(lang, 'field.channel'), channels, d.channel)}
    ${inputField('receivedAt', t(lang, 'field.receivedAt'), d.receivedAt, { type: 'datetime-local', required: true, error: error('receivedAt') })}
    <fieldset${categoriesError ? html` aria-describedby="categories-error"` : ''}><legend>${t(lang, 'field.categories')}</legend><div class="checks">${input.categories.map((c) =>
      html`<p><input type="checkbox" id="cat-${c.value}" name="categories" value="${c.value}"${d.categories?.includes(c.value) ? html` checked` : ''}>
      <label class="inline" for="cat-${c.value}">${c.label}</label></p>`)}</div>
      ${categoriesError ? html`<p class="field-error" id="categories-error">${categoriesError}</p>` : ''}</fieldset>
    <p><label for="f-detail">${t(lang, 'field.detail')}</label><textarea id="f-detail" name="detail" maxlength="2000">${d.detail ?? ''}</textarea></p>
    <p><button type="submit">${t(lang, 'requests.register')}</button></p>
  </form></section>`;
}

export function requestsPage(view: View, input: RequestsInput): string {
  const lang = view.lang;
  return layout(view, {
    title: t(lang, 'requests.title'),
    section: 'requests',
    ...(input.notice ? { notice: input.notice } : {}),
    body: html`<p>${t(lang, 'requests.lead')}</p>
    ${input.mayAct ? html`<p class="muted">${t(lang, 'requests.answerLead')}</p>` : ''}
    <h2>${t(lang, 'requests.open')}</h2>
    ${queueTable(view, t(lang, 'requests.open'), input.open.items, input.mayAct, input.failed)}
    ${input.mayAct ? registerForm(view, input) : ''}
    <h2>${t(lang, 'requests.closed')}</h2>
    ${queueTable(view, t(lang, 'requests.closed'), input.closed.items, false)}`,
  });
}

import { codeLabel, formatDateTime } from '@derbes/reports';
import { isDataSubjectReader } from '@derbes/ledger';
import { READ_NOTE_PREFIX } from '@derbes/projections';
import type { SubjectHistoryDto } from '../../subjects/subject-history.dto';
import { t } from '../i18n/console-i18n';
import { embargoNote } from './embargo-note';
import { inputField, selectField, tableRegion, type Option } from './forms';
import { html, type Html } from './html';
import { pager } from './pager';
import { readViewName } from './read-views';
import { namedCode, type View } from './view';

export interface TimelineFilters {
  readonly operation?: string;
  readonly category?: string;
  readonly filterPurpose?: string;
  readonly from?: string;
  readonly to?: string;
  readonly violations?: string;
}

export interface TimelineInput {
  readonly history: SubjectHistoryDto;
  readonly filters: TimelineFilters;
  readonly choices: { readonly operations: readonly Option[]; readonly categories: readonly Option[]; readonly purposes: readonly Option[] };
  /** The address of this page without its cursor, for "first page" and "next page". */
  readonly pageUrl: URL;
  /** The ledger's local date now: whether an embargo is still in force (embargoNote). */
  readonly today: string;
}

/**
 * A read's note in the page's language: the history keeps `read through <view>` (its one English wording), the
 * view being the route or command: named in words where it is known (the route kept in the title), else as it is.
 */
function readNote(lang: View['lang'], e: { readonly operation: string; readonly note: string | null }): Html | null {
  const view = e.operation === 'read' && e.note?.startsWith(READ_NOTE_PREFIX) ? e.note.slice(READ_NOTE_PREFIX.length) : null;
  if (view === null) return null;
  const name = readViewName(lang, view);
  return name === null ? html`${t(lang, 'timeline.readThrough', { view })}` : html`<span title="${view}">${t(lang, 'timeline.readThrough', { view: name })}</span>`;
}

/** Up to three categories by number and name; more (a read of the whole file names twenty) folded to their numbers. */
const FOLD_AFTER = 3;

function categoriesCell(lang: View['lang'], categories: readonly { readonly number: number; readonly name: string | null }[]): Html {
  const named = categories.map((c, i) => html`${i > 0 ? '; ' : ''}${c.number}. ${c.name}`);
  if (categories.length <= FOLD_AFTER) return html`${named}`;
  return html`<details><summary>${t(lang, 'timeline.categoriesCount', { count: categories.length })}: ${categories.map((c) => c.number).join(', ')}</summary>${named}</details>`;
}

/** A person's records and reads of their file, newest first, filtered and paged. */
export function timelineView(view: View, input: TimelineInput): Html {
  const { lang } = view;
  const f = input.filters;
  const when = (iso: string) => formatDateTime(iso, lang, view.utcOffsetMinutes);
  const operation = (op: string) => (op === 'read' ? t(lang, 'timeline.read') : codeLabel(lang, 'op', op));
  const rows = input.history.items.map((e) => html`<tr>
    <td>${when(e.occurredAt)}</td>
    <td>${operation(e.operation)}</td>
    <td>${categoriesCell(lang, e.categories)}</td>
    <td>${e.purpose.code}: ${e.purpose.name}</td>
    <td>${isDataSubjectReader(e.actor) ? t(lang, 'timeline.subjectThemself') : html`${e.actor.id} (${namedCode(view, 'roles', e.actor.role)}, ${namedCode(view, 'units', e.actor.unit)})`}</td>
    <td>${namedCode(view, 'systems', e.system)}</td>
    <td><bdi>${readNote(lang, e) ?? e.note ?? ''}</bdi>${e.recipient ? html` → <bdi>${e.recipient.name ?? '—'}</bdi> (${e.recipient.country})` : ''}${embargoNote(view, e.embargoUntil, input.today)}${e.violations.map((v) =>
      html`<br><span class="bad">${codeLabel(lang, 'violation', v.code)}</span>: ${v.detail}`)}</td>
  </tr>`);
  const table = html`<table><caption>${t(lang, 'person.timeline')}</caption><thead><tr>
    <th scope="col">${t(lang, 'timeline.when')}</th><th scope="col">${t(lang, 'field.operation')}</th><th scope="col">${t(lang, 'field.category')}</th>
    <th scope="col">${t(lang, 'field.recordPurpose')}</th><th scope="col">${t(lang, 'timeline.who')}</th><th scope="col">${t(lang, 'field.system')}</th>
    <th scope="col">${t(lang, 'timeline.note')}</th></tr></thead><tbody>${rows}</tbody></table>`;
  const purpose = new URLSearchParams(input.pageUrl.search).get('purpose') ?? '';
  return html`<form class="filters" method="get" action="${input.pageUrl.pathname}">
      <input type="hidden" name="purpose" value="${purpose}">
      ${selectField('operation', t(lang, 'field.operation'), [...input.choices.operations, { value: 'read', label: t(lang, 'timeline.read') }], f.operation, t(lang, 'any'))}
      ${selectField('category', t(lang, 'field.category'), input.choices.categories, f.category, t(lang, 'any'))}
      ${selectField('filterPurpose', t(lang, 'field.recordPurpose'), input.choices.purposes, f.filterPurpose, t(lang, 'any'))}
      ${inputField('from', t(lang, 'field.from'), f.from, { type: 'date' })}
      ${inputField('to', t(lang, 'field.to'), f.to, { type: 'date' })}
      <p><input type="checkbox" id="f-violations" name="violations" value="true"${f.violations === 'true' ? html` checked` : ''}>
      <label class="inline" for="f-violations">${t(lang, 'field.violationsOnly')}</label></p>
      <p><button type="submit">${t(lang, 'apply')}</button></p>
    </form>
    ${input.history.items.length === 0 ? html`<p>${t(lang, 'noEntries')}</p>` : tableRegion(t(lang, 'person.timeline'), table)}
    ${pager(view, input.history.nextCursor)}`;
}

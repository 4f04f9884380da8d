import { t } from '../i18n/console-i18n';
import { html, type Html } from './html';
import type { View } from './view';

/** This address with another cursor (null: the first page). */
export function withCursor(url: URL, cursor: string | null): string {
  const query = new URLSearchParams(url.search);
  if (cursor === null) query.delete('cursor');
  else query.set('cursor', cursor);
  return `${url.pathname}?${query.toString()}`;
}

/** Links to the first and the next page of a keyset-paged list. */
export function pager(view: View, nextCursor: string | null): Html {
  const first = new URLSearchParams(view.url.search).has('cursor');
  return html`<p>${first ? html`<a href="${withCursor(view.url, null)}">${t(view.lang, 'firstPage')}</a> ` : ''}${
    nextCursor ? html`<a href="${withCursor(view.url, nextCursor)}" rel="next">${t(view.lang, 'nextPage')}</a>` : ''}</p>`;
}

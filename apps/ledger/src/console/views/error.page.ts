import type { FieldError } from '../../ledger-errors';
import { t } from '../i18n/console-i18n';
import { html } from './html';
import { layout } from './layout';
import type { View } from './view';

export interface ShownError {
  /** The sentence in the reader's language. */
  readonly message: string;
  /** Each field a form got wrong, as the ledger names it. */
  readonly fields?: readonly FieldError[];
  readonly correlationId: string;
}

export function errorPage(view: View, error: ShownError): string {
  return layout(view, {
    title: t(view.lang, 'error.title'),
    body: html`<div class="error" role="alert"><p>${error.message}</p>
      ${error.fields?.length ? html`<ul>${error.fields.map((f) => html`<li><code>${f.field}</code>: ${f.reason}</li>`)}</ul>` : ''}</div>
      <p class="reference">${t(view.lang, 'error.reference', { id: error.correlationId })}</p>
      ${view.who ? html`<p><a href="/console/overview">${t(view.lang, 'error.back')}</a></p>` : html`<p><a href="/console/sign-in">${t(view.lang, 'signIn.title')}</a></p>`}`,
  });
}

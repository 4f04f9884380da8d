import { html, type Html } from './html';
import type { View } from './view';

export interface Option {
  readonly value: string;
  readonly label: string;
}

/** The hidden field that carries the session's token in every form that posts. */
export function csrfField(view: View): Html {
  return html`<input type="hidden" name="_csrf" value="${view.csrf ?? ''}">`;
}

/** A labelled select; `any` adds a first, empty choice with that label. */
export function selectField(name: string, label: string, options: readonly Option[], selected: string | undefined, any?: string): Html {
  const id = `f-${name}`;
  return html`<p><label for="${id}">${label}</label>
    <select id="${id}" name="${name}">${any === undefined ? '' : html`<option value="">${any}</option>`}${options.map((o) =>
      html`<option value="${o.value}"${o.value === selected ? html` selected` : ''}>${o.label}</option>`)}</select></p>`;
}

/** A labelled input; an error is shown under it and tied to it for screen readers. */
export function inputField(name: string, label: string, value: string | undefined, options: {
  readonly type?: 'text' | 'date' | 'datetime-local' | 'password';
  readonly required?: boolean;
  readonly error?: string;
  readonly extra?: Html;
} = {}): Html {
  const id = `f-${name}`;
  const error = options.error ? html`<span class="field-error" id="${id}-error">${options.error}</span>` : '';
  return html`<p><label for="${id}">${label}</label>
    <input id="${id}" name="${name}" type="${options.type ?? 'text'}" value="${value ?? ''}"${options.required ? html` required` : ''}${
      options.error ? html` aria-invalid="true" aria-describedby="${id}-error"` : ''}${options.extra ?? ''}>${error}</p>`;
}

/** A table inside a region that scrolls sideways on a narrow screen, reachable by keyboard. */
export function tableRegion(label: string, table: Html): Html {
  return html`<div class="table-wrap" role="region" aria-label="${label}" tabindex="0">${table}</div>`;
}

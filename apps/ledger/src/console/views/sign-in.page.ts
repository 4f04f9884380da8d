import { t } from '../i18n/console-i18n';
import { html } from './html';
import { layout } from './layout';
import type { View } from './view';

export interface SignInForm {
  readonly next: string;
  readonly name?: string;
  /** Why the last attempt failed, or a notice (signed out). */
  readonly problem?: string;
  readonly notice?: string;
}

export function signInPage(view: View, form: SignInForm): string {
  const lang = view.lang;
  return layout(view, {
    title: t(lang, 'signIn.title'),
    ...(form.notice ? { notice: form.notice } : {}),
    body: html`<p>${t(lang, 'signIn.lead')}</p>
    ${form.problem ? html`<p class="error" role="alert" id="sign-in-problem">${form.problem}</p>` : ''}
    <form class="sign-in" method="post" action="/console/sign-in"${form.problem ? html` aria-describedby="sign-in-problem"` : ''}>
      <input type="hidden" name="_csrf" value="${view.csrf ?? ''}">
      <input type="hidden" name="next" value="${form.next}">
      <p><label for="name">${t(lang, 'signIn.name')}</label>
      <input id="name" name="name" type="text" autocomplete="username" required maxlength="100" value="${form.name ?? ''}"></p>
      <p><label for="password">${t(lang, 'signIn.password')}</label>
      <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024"></p>
      <p><button type="submit">${t(lang, 'signIn.submit')}</button></p>
    </form>`,
  });
}

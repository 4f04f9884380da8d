import { formatDateTime } from '@derbes/reports';
import type { PublicKeyInfo } from '@derbes/integrity';
import type { StoredTreeHead } from '@derbes/projections';
import { t } from '../i18n/console-i18n';
import { html } from './html';
import { layout } from './layout';
import type { View } from './view';
import type { VerificationRecord } from '../../integrity/verification-record';

export function integrityPage(view: View, head: StoredTreeHead | null, keys: readonly PublicKeyInfo[], logPosition: number, verification: VerificationRecord | null): string {
  const lang = view.lang;
  return layout(view, {
    title: t(lang, 'integrity.title'),
    section: 'integrity',
    body: html`<p>${t(lang, 'integrity.lead')}</p>
    <p>${t(lang, 'integrity.logPosition', { position: logPosition })}</p>
    <h2>${t(lang, 'integrity.latest')}</h2>
    ${head ? html`<dl class="facts">
      <dt>${t(lang, 'integrity.treeSize')}</dt><dd>${head.treeSize}</dd>
      <dt>${t(lang, 'integrity.rootHash')}</dt><dd class="hash">${head.rootHash}</dd>
      <dt>${t(lang, 'integrity.signedAt')}</dt><dd>${formatDateTime(head.timestamp, lang, view.utcOffsetMinutes)} (${head.timestamp})</dd>
      <dt>${t(lang, 'integrity.keyId')}</dt><dd class="hash">${head.keyId}</dd>
      <dt>${t(lang, 'integrity.position')}</dt><dd>${head.position}</dd></dl>` : html`<p>${t(lang, 'integrity.noHead')}</p>`}
    <h2>${t(lang, 'integrity.verification')}</h2>
    ${verification ? html`<dl class="facts">
      <dt>${t(lang, 'integrity.verifiedAt')}</dt><dd>${formatDateTime(verification.verifiedAt, lang, view.utcOffsetMinutes)} (${verification.verifiedAt})</dd>
      <dt>${t(lang, 'integrity.verifiedResult')}</dt><dd>${t(lang, verification.ok ? 'integrity.verifiedOk' : 'integrity.verifiedFailed')}</dd>
      <dt>${t(lang, 'integrity.verifiedEvents')}</dt><dd>${verification.events}</dd>
      <dt>${t(lang, 'integrity.verifiedHeads')}</dt><dd>${verification.headsChecked}</dd>
      ${verification.firstDisagreement ? html`<dt>${t(lang, 'integrity.firstDisagreement')}</dt><dd>${verification.firstDisagreement.position}: ${verification.firstDisagreement.kind}: ${verification.firstDisagreement.message}</dd>` : ''}</dl>`
      : html`<p>${t(lang, 'integrity.noVerification')}</p>`}
    <h2>${t(lang, 'integrity.keys')}</h2>
    <ul>${keys.map((k) => html`<li><span class="hash">${k.keyId}</span> (v${k.version}, ${formatDateTime(k.createdAt, lang, view.utcOffsetMinutes)})</li>`)}</ul>`,
  });
}

import { t, type MessageKey } from '../i18n/console-i18n';
import type { View } from './view';

/**
 * What a read of a person's file went through, in words: a read event keeps the route or command it came by
 * (`GET /v1/subjects/{subjectId}/history`, `GET /v1/access-report/{token} (kk, html)`...), which means nothing to
 * an HR director. Known routes get a name; any other view is shown as it was recorded.
 */
const VIEWS: ReadonlyArray<readonly [RegExp, MessageKey]> = [
  [/^GET \/v1\/access-report\/\{token\}/, 'readView.ownLink'],
  [/^POST \/v1\/subject-requests\/[^/]+\/answer/, 'readView.requestAnswer'],
  [/^GET \/(v1|console)\/subjects\/\{subjectId\}\/(access-)?report\b/, 'readView.report'],
  [/^derbes report subject\b/, 'readView.cliReport'],
  [/^GET \/(v1|console)\/subjects\/\{subjectId\}\/(history|timeline)$/, 'readView.history'],
  [/^GET \/(v1|console)\/subjects\/\{subjectId\}\/inventory$/, 'readView.inventory'],
  [/^GET \/v1\/subjects\/\{subjectId\}\/events$/, 'readView.events'],
];

/** The view a read came through, named in the page's language; null for a view this build does not know. */
export function readViewName(lang: View['lang'], view: string): string | null {
  const known = VIEWS.find(([pattern]) => pattern.test(view));
  return known ? t(lang, known[1]) : null;
}

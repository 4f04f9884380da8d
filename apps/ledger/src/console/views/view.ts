import type { CodeKind, CodeNames, Lang } from '@derbes/register';
import type { Role } from '../../auth/roles';
import { html, type Html } from './html';

/** Who is looking, in which language, at which address: what the layout of every page needs. */
export interface View {
  readonly lang: Lang;
  /** Minutes east of UTC of the times shown (the ledger's calendar, Kazakhstan's by default). */
  readonly utcOffsetMinutes: number;
  /** Names of units, roles and systems (the ledger's own and DERBES_NAMES_FILE), for the codes the pages show. */
  readonly names: CodeNames;
  /** The path and query of this page, to switch its language in place. */
  readonly url: URL;
  /** The session's form token; absent when there is no session. */
  readonly csrf?: string;
  /** The signed-in key's holder; absent before sign-in. */
  readonly who?: { readonly name: string; readonly role: Role; readonly unit: string; readonly personal: boolean };
}

/** A unit, role or system code by its name in the page's language, or the code itself where it has none. */
export function codeName(view: Pick<View, 'lang' | 'names'>, kind: CodeKind, code: string): string {
  return view.names.name(kind, code, view.lang) ?? code;
}

/** A code by its name, the code kept in the title for whoever searches the ledger by it; the code alone where it has none. */
export function namedCode(view: Pick<View, 'lang' | 'names'>, kind: CodeKind, code: string): Html | string {
  const name = codeName(view, kind, code);
  return name === code ? code : html`<span title="${code}">${name}</span>`;
}

import type { Lang } from '@derbes/register';
import type { Role } from '../../auth/roles';

/** Who is looking, in which language, at which address: what the layout of every page needs. */
export interface View {
  readonly lang: Lang;
  /** Minutes east of UTC of the times shown (the ledger's calendar, Kazakhstan's by default). */
  readonly utcOffsetMinutes: number;
  /** The path and query of this page, to switch its language in place. */
  readonly url: URL;
  /** The session's form token; absent when there is no session. */
  readonly csrf?: string;
  /** The signed-in key's holder; absent before sign-in. */
  readonly who?: { readonly name: string; readonly role: Role; readonly unit: string; readonly personal: boolean };
}

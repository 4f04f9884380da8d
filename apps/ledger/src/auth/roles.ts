import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { OPEN_ROUTE_EXTENSION } from '../http/openapi-document';

/**
 * Who may call the API. Each API key has exactly one role:
 * - emitter: a source system; records processing as that one system, reads nothing about people;
 * - official: the person responsible for the processing: histories, reports, requests;
 * - auditor: read-only reports; per-person data only with the `subject-data` grant;
 * - admin: keys and configuration; no per-person data.
 */
export const ROLES = ['emitter', 'official', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** What a route needs: roles, and whether it shows a person's data (auditors need the grant for that). */
export interface Access {
  readonly roles: readonly Role[];
  readonly personal: boolean;
}

export const ACCESS = 'derbes:access';
/** Marks the one route a subject's signed link opens, instead of an API key. */
export const SUBJECT_LINK_ROUTE = 'derbes:subject-link';
/**
 * Marks the console's routes (apps/ledger/src/console): the console's own guard signs people in with a session
 * cookie instead of an API key, and applies the same Allow rules through `refusal`.
 */
export const CONSOLE_ROUTE = 'derbes:console';
/** Marks the routes open to anyone: /health only. */
export const PUBLIC_ROUTE = 'derbes:public';

/** The roles that may call this route; `personal` when its answer is about one person. */
export const Allow = (roles: readonly Role[], options: { personal?: boolean } = {}) =>
  SetMetadata(ACCESS, { roles, personal: options.personal ?? false } satisfies Access);

/** Why a key with this role and these grants may not use a route with this rule; null when it may. */
export function refusal(access: Access, key: { readonly role: Role; readonly grants: readonly string[] }): string | null {
  if (!access.roles.includes(key.role)) return `a key with role ${key.role} may not do this (allowed: ${access.roles.join(', ')})`;
  if (access.personal && key.role === 'auditor' && !key.grants.includes('subject-data')) {
    return "an auditor's key reads per-person data only with the subject-data grant";
  }
  return null;
}

/** Whether a key reads per-person data where its role may read: every key but an auditor's without the subject-data grant. */
export function readsPersonalData(key: { readonly role: Role; readonly grants: readonly string[] } | undefined): boolean {
  return key !== undefined && refusal({ roles: [key.role], personal: true }, key) === null;
}

export const OpenedBySubjectLink = () => applyDecorators(SetMetadata(SUBJECT_LINK_ROUTE, true), ApiExtension(OPEN_ROUTE_EXTENSION, true));
export const Public = () => applyDecorators(SetMetadata(PUBLIC_ROUTE, true), ApiExtension(OPEN_ROUTE_EXTENSION, true));
export const ConsoleRoute = () => SetMetadata(CONSOLE_ROUTE, true);

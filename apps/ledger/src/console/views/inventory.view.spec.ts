import { CodeNames } from '@derbes/register';
import type { InventoryCategoryDto } from '../../subjects/subject-inventory.dto';
import { inventoryView } from './inventory.view';

/** A known category as the inventory query gives it; only what decides its "held now" cell matters here. */
const category = (number: number, held: boolean | null): InventoryCategoryDto => ({
  number, code: `c${number}`, name: `Category ${number}`, known: true, held, sources: [], firstProcessedAt: '2026-11-20T09:30:00.000Z',
  lastProcessedAt: '2026-11-20T09:30:00.000Z', lastChangedAt: null, recipients: [], blockedAt: null, destroyedAt: null, depersonalizedAt: null,
});

/** The "held now" cell of each row, in order. */
function heldCells(lang: 'kk' | 'ru' | 'en', categories: InventoryCategoryDto[]): string[] {
  const view = { lang, utcOffsetMinutes: 300, names: new CodeNames(), url: new URL(`http://ledger/console/subjects/x/inventory?lang=${lang}`) };
  const markup = inventoryView(view, { subjectId: 'x', lang, categories, position: 9 }).toString();
  return [...markup.matchAll(/<\/th>\s*<td>([^<]*)<\/td>/g)].map((m) => m[1]!);
}

describe('the console inventory', () => {
  it("says \"not known\" whether a category is held that only the ledger's own records of the subject's requests name", () => {
    const categories = [category(1, true), category(2, false), category(24, null)];
    expect(heldCells('en', categories)).toEqual(['Yes', 'No', 'Not known']);
    expect(heldCells('ru', categories)).toEqual(['Да', 'Нет', 'Неизвестно']);
    expect(heldCells('kk', categories)).toEqual(['Иә', 'Жоқ', 'Белгісіз']);
  });
});

import { compactText } from '../text/normalise.ts';
import type { CatalogItem, Material } from './catalog-schema.ts';

/**
 * An item's situations (first card, lost, damaged…) decide which of its conditional materials apply.
 * Pure: the catalogue item and the resident's words in, a situation id or a material list out.
 */

/** The one situation the words tell ("社保卡丢了" → lost), or null when none or more than one is told. */
export function situationFromWords(item: CatalogItem, words: string): string | null {
  const text = compactText(words);
  if (!text) return null;
  const told = item.situations.filter((s) => s.words.some((w) => text.includes(compactText(w))));
  return told.length === 1 ? (told[0]?.id ?? null) : null;
}

/**
 * The materials for a situation: unknown (null) keeps every material as the catalogue lists it; a known one
 * drops the materials of the other situations. Conditions stay as written (some narrow a situation further).
 */
export function materialsFor(item: CatalogItem, situation: string | null): Material[] {
  if (!situation || !item.situations.some((s) => s.id === situation)) return [...item.materials];
  return item.materials.filter((m) => !m.situations || m.situations.includes(situation));
}

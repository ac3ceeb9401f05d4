import type { CatalogItem } from '../../catalog/catalog-schema.ts';
import type { NoticeItemJson } from '../../db/schema.ts';
import { compactText } from '../../text/normalise.ts';

/**
 * A return (补正) names the missing materials in the agent's or centre's own words. Each is matched
 * to the catalogue's required materials; one the catalogue does not require is kept, marked as an
 * added obligation (擅自增加申请人义务) for supervision.
 */
export function noticeItems(item: CatalogItem | undefined, named: readonly string[]): NoticeItemJson[] {
  const materials = item?.materials ?? [];
  return named.map((words) => {
    const w = compactText(words);
    const match = materials.find((m) => {
      const name = compactText(m.name).replace(/[《》]/g, '');
      return w.length >= 2 && (name.includes(w) || w.includes(name) || shareCore(name, w));
    });
    return match
      ? { name: match.name, form: match.form, count: match.count, ...(match.when ? { when: match.when } : {}), inCatalogue: true }
      : { name: words, form: 'original', count: 1, inCatalogue: false };
  });
}

/** 户口簿 ~ 居民户口簿复印件, 身份证 ~ 居民身份证: the names share a core of at least three characters. */
function shareCore(a: string, b: string): boolean {
  for (let i = 0; i + 3 <= b.length; i++) if (a.includes(b.slice(i, i + 3))) return true;
  return false;
}

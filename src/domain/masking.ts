/**
 * What may appear in a group chat (domain.md §8): never a full name, ID number, phone or address.
 */

/** 张三 → 张*, 张小花 → 张*花, 欧阳小花 → 欧**花. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

/** 13800000001 → 138****0001. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 7) return '****';
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}

/** Masks every occurrence of these full names (longest first, so 欧阳小花 is not left half-masked by 欧阳). */
export function maskNamesIn(text: string, names: readonly string[]): string {
  const distinct = [...new Set(names.map((n) => n.trim()).filter((n) => [...n].length >= 2))].sort((a, b) => b.length - a.length);
  let out = text;
  for (const name of distinct) out = out.split(name).join(maskName(name));
  return out;
}

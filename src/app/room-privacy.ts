import { maskName } from '../domain/masking.ts';

/**
 * What may be said in a group chat (domain.md §8): never a resident's full name, phone or ID. Two
 * guards: group texts are rendered from the masked variables (here), and a last pass over every text
 * bound for a group masks the full names on the errands concerned, whatever template produced it
 * (maskNamesIn: insertOutbox for notices, the command turn for replies).
 */

/** Variables safe for a group: the resident's and the beneficiary's names masked, no phone, no whereabouts. */
export function roomVars(vars: Record<string, unknown>): Record<string, unknown> {
  const masked = { ...vars };
  if (typeof vars.residentName === 'string') masked.residentName = maskName(vars.residentName);
  if (typeof vars.beneficiaryName === 'string') masked.beneficiaryName = maskName(vars.beneficiaryName);
  if (typeof vars.forWhom === 'string') {
    const name = vars.beneficiaryName;
    // With the beneficiary's name given, mask exactly it (a "not yet named" child has none to mask).
    if (typeof name === 'string') masked.forWhom = vars.forWhom.split(name).join(maskName(name));
    else if (!('beneficiaryName' in vars)) masked.forWhom = vars.forWhom.replace(/(\S+)$/u, (n) => maskName(n));
  }
  for (const key of ['residentPhone', 'beneficiaryPhone', 'beneficiaryWhereabouts'] as const) if (key in vars) masked[key] = null;
  return masked;
}

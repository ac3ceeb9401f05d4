import { Liquid, type Template } from 'liquidjs';
import { formatChineseDate, formatShanghaiDateTime, isLocalDate } from '../calendar/local-date.ts';
import { maskName, maskPhone } from '../domain/masking.ts';

/**
 * Message texts (templates/<locale>/*.yaml) rendered through LiquidJS. Every template is parsed once;
 * rendering is strict: a variable the template uses but the caller did not give is an error, so a
 * missing value never reaches a villager as an empty gap. `variables()` answers, by static analysis,
 * which variables a template needs (flow validation checks them against what each state provides).
 */

export interface TemplateSet {
  keys(): string[];
  has(key: string): boolean;
  render(key: string, vars: Record<string, unknown>): string;
  /** Root names of the variables the template reads (e.g. `item` for `item.name`). */
  variables(key: string): string[];
  /** A fingerprint of the template's source: changes whenever the text is edited. */
  version(key: string): string;
}

/** Rendered texts kept for reuse, and the largest variable set worth keying on. */
const MEMO_ENTRIES = 500;
const MEMO_MAX_KEY = 8_192;
const MISSING = { missing: true };

export class TemplateError extends Error {
  constructor(
    message: string,
    readonly key: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TemplateError';
  }
}

function createLiquid(): Liquid {
  // jsTruthy: an empty text (or 0) is false in `{% if %}`, as villagers would read it — Liquid's own rule keeps
  // "" true, which once printed "是不是：？" over an empty list of candidates.
  const liquid = new Liquid({ strictVariables: true, strictFilters: true, lenientIf: true, ownPropertyOnly: true, greedy: false, jsTruthy: true });
  liquid.registerFilter('cn_date', (v: unknown) => (typeof v === 'string' && isLocalDate(v) ? formatChineseDate(v) : String(v)));
  liquid.registerFilter('datetime', (v: unknown) => (typeof v === 'number' ? formatShanghaiDateTime(v) : String(v)));
  liquid.registerFilter('mask_name', (v: unknown) => maskName(typeof v === 'string' ? v : ''));
  liquid.registerFilter('mask_phone', (v: unknown) => maskPhone(typeof v === 'string' ? v : ''));
  liquid.registerFilter('yuan', (v: unknown) => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(2)) : String(v)));
  return liquid;
}

/** Trailing spaces off, at most one blank line in a row, no leading or trailing blank lines. */
function tidy(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/[ \t]+$/, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * @param sources template key → Liquid source
 * @param versions template key → fingerprint of the source (computed by the loader)
 */
export function createTemplateSet(sources: Readonly<Record<string, string>>, versions: Readonly<Record<string, string>> = {}): TemplateSet {
  const liquid = createLiquid();
  const parsed = new Map<string, Template[]>();
  const variables = new Map<string, string[]>();
  const problems: string[] = [];
  // `{{ ids | labels: 'area' }}`: each id in words (the static template `area.<id>`), joined by 、 — the
  // words of a list of codes (照相、采集指纹) stay in the texts, written once.
  liquid.registerFilter('labels', (ids: unknown, area: unknown) => {
    if (!Array.isArray(ids) || typeof area !== 'string') return '';
    return ids
      .map((id) => {
        const tpl = parsed.get(`${area}.${String(id)}`);
        if (!tpl) throw new TemplateError(`no template ${area}.${String(id)}`, `${area}.${String(id)}`);
        return tidy(liquid.renderSync(tpl, {}) as string);
      })
      .join('、');
  });
  for (const [key, source] of Object.entries(sources)) {
    try {
      const tpl = liquid.parse(source, key);
      parsed.set(key, tpl);
      variables.set(key, liquid.globalVariablesSync(tpl).sort());
    } catch (error) {
      problems.push(`${key}: ${(error as Error).message}`);
    }
  }
  if (problems.length) throw new TemplateError(`templates do not parse:\n  ${problems.join('\n  ')}`, problems[0] ?? '');

  // Rendering is deterministic: the same template with the same values of the variables it reads
  // gives the same text. Many texts repeat (a service guide, a one-time notice, a menu), so the last
  // few hundred results are kept, keyed by exactly the variables the template uses.
  const memo = new Map<string, string>();
  const memoKey = (key: string, vars: Record<string, unknown>): string | null => {
    const used = variables.get(key) ?? [];
    // A missing variable keys differently from a null one, so strict rendering still fails for it.
    const json = JSON.stringify(used.map((name) => (vars[name] === undefined ? MISSING : vars[name])));
    return json.length <= MEMO_MAX_KEY ? `${key}\u0000${json}` : null;
  };

  return {
    keys: () => [...parsed.keys()].sort(),
    has: (key) => parsed.has(key),
    variables: (key) => variables.get(key) ?? [],
    version: (key) => versions[key] ?? 'unversioned',
    render(key, vars) {
      const tpl = parsed.get(key);
      if (!tpl) throw new TemplateError(`no template ${key}`, key);
      const cacheKey = memoKey(key, vars);
      const cached = cacheKey === null ? undefined : memo.get(cacheKey);
      if (cached !== undefined) return cached;
      let text: string;
      try {
        text = tidy(liquid.renderSync(tpl, vars) as string);
      } catch (error) {
        throw new TemplateError(`template ${key} failed: ${(error as Error).message}`, key, { cause: error });
      }
      if (cacheKey !== null) {
        if (memo.size >= MEMO_ENTRIES) memo.delete(memo.keys().next().value as string);
        memo.set(cacheKey, text);
      }
      return text;
    },
  };
}

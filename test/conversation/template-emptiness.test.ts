import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Liquid } from 'liquidjs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { contentDirs } from '../../src/compose.ts';
import { loadContent } from '../../src/content/load-content.ts';

/**
 * Every template, rendered with one value at a time empty, zero or missing (null), and lists empty, must not
 * print a label about nothing: "：" before a full stop or line end, empty quotes or brackets, "共 0 条",
 * "：无" where a person should be, a literal null. The other values are filled with samples, so only what
 * the emptied value causes counts.
 */

const { templates } = loadContent(contentDirs);
const sources: Record<string, string> = {};
for (const name of readdirSync(contentDirs.templatesDir).filter((n) => n.endsWith('.yaml'))) {
  const area = basename(name, '.yaml');
  for (const [key, source] of Object.entries(parse(readFileSync(join(contentDirs.templatesDir, name), 'utf8')) as Record<string, string>)) {
    sources[`${area}.${key}`] = source;
  }
}
const analyser = new Liquid();

/**
 * Values that are never empty where these templates are rendered: required columns and schema fields
 * (receipt numbers, item, person, village and centre names, the county hotline, statuses, dates the code
 * computes), command words and forms from the command catalogue, and texts a command cannot be given
 * without (a refusal's reason, a result, a rectification note). Everything else may be empty.
 */
const NEVER_EMPTY = new Set(
  (
    'receiptNo itemName name hotline maskedName villageName residentName statusText form at title botName account ' +
    'centreName agentName levelLabel level dueDate deliveryBy claimBy entryNo date label text command example problem detail ' +
    'words roles commands names villages result reason note items by address hours code scene id value version dueBy complaintDue feedbackBy ' +
    'categoryName department place conditions promisedWorkingDays description basis selfService free free from to ' +
    'resident_name village who due time days count total shown entrustment forWhom kind what deadlineLabel topicName roomName ' +
    'itemCount villageCode township townshipName maxLength receiptNumbers channel url when'
  ).split(' '),
);
/** Values that may be empty, although listed above by their name, in these templates. */
const MAY_BE_EMPTY: Record<string, string[]> = {
  'notify.supervisor_bad_review': ['reason'],
  'notify.supervisor_fix_still_bad': ['reason'],
  'notify.agent_reopened': ['reason'],
  'alert.escalation': ['holder'],
  'bind.room_invite_accepted': ['topic'],
  'cmd.item_unclear': ['candidates'],
  'cmd.details': ['materials'],
  'request.summary': ['item.materials.size', 'person.phone'],
  'my_errands.detail': ['errand.holder'],
};

const NUMERIC = /(?:count|days|total|level|photos|index|number|round|stars|seq|amountYuan|minutes|maxLength|version|size|shown)$/i;
const DANGLING = [/：(?=$|\n|[。，；）,;)？?])/gm, /“”|（）|【\s*】|\(\)/g, /共 ?0 ?[条项件个人位]/g, /：无/g, /\bnull\b|\bundefined\b/g];

function danglingCount(text: string): number {
  return DANGLING.reduce((n, re) => n + (text.match(re)?.length ?? 0), 0);
}

interface Shape {
  leaves: string[];
  /** Objects the template also reads as a whole (in a condition). */
  parents: string[];
  /** Collections read by a for loop, with the fields their elements are read by. */
  collections: Map<string, string[]>;
}

function shapeOf(key: string): Shape {
  const source = sources[key] ?? '';
  const collections = new Map<string, string[]>();
  for (const m of source.matchAll(/\{%-?\s*for\s+(\w+)\s+in\s+([\w.]+)/g)) {
    const [, item, path] = m as unknown as [string, string, string];
    collections.set(path, [...new Set([...source.matchAll(new RegExp(`\\b${item}\\.(\\w+)`, 'g'))].map((f) => f[1] as string))]);
  }
  const paths = analyser
    .globalFullVariablesSync(analyser.parse(source))
    .filter((p) => !collections.has(p.replace(/\.(?:size|first|last)$/, '')) || collections.has(p));
  const deeper = new Set(
    paths.flatMap((p) =>
      p
        .split('.')
        .slice(0, -1)
        .map((_, i, a) => a.slice(0, i + 1).join('.')),
    ),
  );
  return { leaves: paths.filter((p) => !deeper.has(p) || collections.has(p)), parents: paths.filter((p) => deeper.has(p) && !collections.has(p)), collections };
}

function sample(leaf: string): unknown {
  return NUMERIC.test(leaf) ? 2 : '样例';
}

function varsFor(shape: Shape, override: { path: string; value: unknown } | null): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const path of shape.leaves) {
    const parts = path.split('.');
    let node = root;
    for (const part of parts.slice(0, -1)) {
      if (typeof node[part] !== 'object' || node[part] === null || Array.isArray(node[part])) node[part] = {};
      node = node[part] as Record<string, unknown>;
    }
    const leaf = parts.at(-1) as string;
    const fields = shape.collections.get(path);
    const filled = fields ? [fields.length ? Object.fromEntries(fields.map((f) => [f, sample(f)])) : '样例'] : sample(leaf);
    node[leaf] = override?.path === path ? override.value : filled;
  }
  if (override && shape.parents.includes(override.path)) {
    const parts = override.path.split('.');
    let node = root;
    for (const part of parts.slice(0, -1)) node = node[part] as Record<string, unknown>;
    node[parts.at(-1) as string] = override.value;
  }
  return root;
}

function mayBeEmpty(key: string, path: string): boolean {
  const named = MAY_BE_EMPTY[key] ?? [];
  if (named.some((p) => path === p || path.startsWith(`${p}.`))) return true;
  return !NEVER_EMPTY.has(path.split('.').at(-1) as string) && !NEVER_EMPTY.has(path.split('.')[0] as string);
}

/** What each template prints when one value at a time is empty, where that adds a dangling label. */
function findDangling(render: (key: string, vars: Record<string, unknown>) => string, keys: string[]): string[] {
  const found: string[] = [];
  for (const key of keys) {
    const shape = shapeOf(key);
    const baseline = danglingCount(render(key, varsFor(shape, null)));
    const cases = [
      ...shape.leaves
        .filter((p) => mayBeEmpty(key, p))
        .flatMap((path) => (shape.collections.has(path) ? [[]] : ['', 0, null]).map((value) => ({ path, value }))),
      // An object a template checks before reading it (`{% if agent %}…{{ agent.name }}`) may be missing as a whole.
      ...shape.parents.filter((p) => mayBeEmpty(key, p)).map((path) => ({ path, value: null })),
    ];
    for (const { path, value } of cases) {
      let text: string;
      try {
        text = render(key, varsFor(shape, { path, value }));
      } catch (error) {
        found.push(`${key} with ${path} = ${JSON.stringify(value)}: ${(error as Error).message}`);
        continue;
      }
      if (danglingCount(text) > baseline) found.push(`${key} with ${path} = ${JSON.stringify(value)}: ${text}`);
    }
  }
  return found;
}

describe('every template with a value empty, zero or missing', () => {
  it('prints no label about nothing', () => {
    const found = findDangling((key, vars) => templates.render(key, vars), Object.keys(sources).sort());
    expect(found).toEqual([]);
  });

  it('would catch a label printed over an empty value', () => {
    // The check itself can fail: the old "经办：{{ holder }}" line and an unguarded list count are caught.
    const sourcesBefore: Record<string, string> = { 'a.holder': '现在：{{ s }}\n经办：{{ holder }}', 'a.count': '{{ t }}（共 {{ n }} 条）' };
    Object.assign(sources, sourcesBefore);
    try {
      const liquid = new Liquid({ strictVariables: true, jsTruthy: true });
      const found = findDangling((key, vars) => liquid.parseAndRenderSync(sourcesBefore[key] ?? '', vars) as string, Object.keys(sourcesBefore));
      expect(found.some((f) => f.startsWith('a.holder with holder = ""'))).toBe(true);
      expect(found.some((f) => f.startsWith('a.count with n = 0'))).toBe(true);
    } finally {
      for (const key of Object.keys(sourcesBefore)) delete sources[key];
    }
  });
});

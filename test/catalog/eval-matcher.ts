// Ad-hoc measurement (not a test): node --import tsx test/catalog/eval-matcher.ts [--misses] [file...]
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { readCatalogFile } from '../../src/catalog/catalog-file.ts';
import { createItemMatcher } from '../../src/catalog/item-matcher.ts';

const args = process.argv.slice(2);
const showMisses = args.includes('--misses');
const files = args.filter((a) => !a.startsWith('--'));
const file = readCatalogFile('data/catalog.yaml');
const t0 = performance.now();
const matcher = createItemMatcher(file.items, file.matching);
const built = performance.now() - t0;
let queries = 0;
let spent = 0;
for (const path of files.length
  ? files
  : ['test/catalog/stories.yaml', 'test/catalog/stories-holdout.yaml', 'test/catalog/utterances.yaml', 'test/catalog/utterances-holdout.yaml']) {
  const set = parse(readFileSync(path, 'utf8')) as { positives: { text: string; item: string }[]; negatives?: string[] };
  let top1 = 0;
  let top3 = 0;
  const misses: string[] = [];
  for (const p of set.positives) {
    const s = performance.now();
    const ms = matcher.match(p.text);
    spent += performance.now() - s;
    queries++;
    const ids = ms.map((m) => m.id);
    if (ids[0] === p.item) top1++;
    else
      misses.push(
        `  ${ids.slice(0, 3).includes(p.item) ? '3' : 'X'} ${p.text} → ${p.item} (got ${
          ms
            .slice(0, 3)
            .map((m) => `${m.id}:${m.score}`)
            .join(', ') || 'nothing'
        })`,
      );
    if (ids.slice(0, 3).includes(p.item)) top3++;
  }
  const neg = (set.negatives ?? []).map((t) => [t, matcher.match(t)] as const).filter(([, m]) => m.length > 0);
  const n = set.positives.length;
  console.log(
    `${path}: top-1 ${((100 * top1) / n).toFixed(1)} % top-3 ${((100 * top3) / n).toFixed(1)} % of ${n}; negatives matched ${neg.length}/${(set.negatives ?? []).length}`,
  );
  if (showMisses) {
    console.log(misses.join('\n'));
    for (const [t, m] of neg) console.log(`  NEG ${t} → ${m.map((x) => `${x.id}:${x.score}`).join(', ')}`);
  }
}
console.log(`build ${built.toFixed(1)} ms, ${(spent / queries).toFixed(3)} ms/query`);

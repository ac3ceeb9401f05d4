import { compileCue, cueMatches } from './intent-reading.ts';
import { CITIES, PROVINCES } from './place-names.ts';

/**
 * Where a resident lives, from what they say at 住村里/在外地: a province or city ("在广东打工",
 * "在深圳"), work away ("出去打工了", "在成都上班") → away; home words ("在屋头", "住村里",
 * "在家种地") → home. "没出去" is home. A message that says both or neither is null (asked again).
 */

export type Residence = 'home' | 'away';

const STAYED = compileCue('没出去|没有出去|没出门|没去外地|没在外|不出去|没外出', 'residence');
const AWAY = [
  compileCue([...PROVINCES, ...CITIES].join('|'), 'residence'),
  compileCue('打工|务工|上班|做事|做工|干活|挣钱|出去|外地|外省|外面|外头|城里|县城|在外|厂里|工地|进厂|跑车|摘棉花', 'residence'),
];
const HOME = compileCue('屋头|屋里|村里|村头|村上|家里|在家|老家|本村|种地|种田|务农|组上|队上|住村', 'residence');

export function readResidence(text: string): Residence | null {
  if (cueMatches(text, STAYED)) return 'home';
  const away = AWAY.some((cue) => cueMatches(text, cue));
  const home = cueMatches(text, HOME);
  if (away === home) return null;
  return away ? 'away' : 'home';
}

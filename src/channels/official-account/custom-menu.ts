import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';

/**
 * The custom menu, defined in a YAML file (data/wechat-menu.yaml): checked against WeChat's limits
 * at load, turned into the body of `/cgi-bin/menu/create`, and read back by the webhook so that a
 * CLICK on a button is handled as the words it stands for.
 */

const bytes = (max: number) =>
  z
    .string()
    .min(1)
    .refine((s) => Buffer.byteLength(s, 'utf8') <= max, { message: `at most ${max} bytes` });

const click = z.object({ name: bytes(24), type: z.literal('click').default('click'), key: bytes(128), says: z.string().min(1).max(100) }).strict();
const view = z
  .object({ name: bytes(24), type: z.literal('view'), url: z.url().refine((u) => Buffer.byteLength(u) <= 1024, { message: 'at most 1024 bytes' }) })
  .strict();
const miniprogram = z.object({ name: bytes(24), type: z.literal('miniprogram'), url: z.url(), appid: z.string().min(1), pagepath: z.string().min(1) }).strict();
const leaf = z.union([view, miniprogram, click]);
const top = z.union([
  z.object({ name: bytes(16), sub: z.array(leaf).min(1).max(5) }).strict(),
  view.extend({ name: bytes(16) }),
  miniprogram.extend({ name: bytes(16) }),
  click.extend({ name: bytes(16) }),
]);
const menuSchema = z.object({ buttons: z.array(top).min(1).max(3) }).strict();

export type MenuFile = z.infer<typeof menuSchema>;
type Leaf = z.infer<typeof leaf>;

export interface CustomMenu {
  /** The body of POST /cgi-bin/menu/create. */
  body: { button: Record<string, unknown>[] };
  /** What each click key stands for. */
  says: ReadonlyMap<string, string>;
}

export class MenuFileError extends Error {
  override name = 'MenuFileError';
}

export function parseMenu(source: string, origin = 'menu'): CustomMenu {
  let document: unknown;
  try {
    document = parse(source);
  } catch (error) {
    throw new MenuFileError(`${origin}: not valid YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = menuSchema.safeParse(document);
  if (!parsed.success) throw new MenuFileError(`${origin}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const says = new Map<string, string>();
  const toWeChat = (b: Leaf): Record<string, unknown> => {
    if (b.type === 'click') {
      if (says.has(b.key)) throw new MenuFileError(`${origin}: the key ${b.key} is used twice`);
      says.set(b.key, b.says);
      return { type: 'click', name: b.name, key: b.key };
    }
    return { ...b };
  };
  const button = parsed.data.buttons.map((b) => ('sub' in b ? { name: b.name, sub_button: b.sub.map(toWeChat) } : toWeChat(b)));
  return { body: { button }, says };
}

export function readMenuFile(path: string): CustomMenu {
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch (error) {
    throw new MenuFileError(`${path}: cannot be read (${error instanceof Error ? error.message : String(error)})`);
  }
  return parseMenu(source, path);
}

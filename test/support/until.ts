/** Waits until `condition` holds, looking every `everyMs`; fails after `ms` naming `what`. */
export async function until(condition: () => boolean | Promise<boolean>, what: string, ms = 15_000, everyMs = 50): Promise<void> {
  for (const end = Date.now() + ms; !(await condition());) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

import { describe, expect, it } from 'vitest';
import { qrImageUrl, showLoginQr } from '../../../src/channels/wechaty/login-qr.ts';

/** The login QR code: drawn in the console and logged as a URL. */

function capture() {
  const logs: { obj: object; msg: string }[] = [];
  const printed: string[] = [];
  const log = (obj: object, msg?: string) => void logs.push({ obj, msg: msg ?? '' });
  return { logs, printed, out: { logger: { debug: log, info: log, warn: log, error: log }, print: (text: string) => void printed.push(text) } };
}

describe('the login QR code', () => {
  it('draws a waiting code in the console and logs the URL of its image', async () => {
    const c = capture();
    await showLoginQr('https://login.weixin.qq.com/l/abc==', 2, c.out);
    expect(c.printed).toHaveLength(1);
    expect(c.printed[0]!.split('\n').length).toBeGreaterThan(10);
    expect(c.printed[0]).toMatch(/[█▀▄]/);
    expect(c.logs).toEqual([
      {
        obj: { url: 'https://wechaty.js.org/qrcode/https%3A%2F%2Flogin.weixin.qq.com%2Fl%2Fabc%3D%3D', status: 2 },
        msg: expect.stringContaining('scan') as unknown,
      },
    ]);
    expect(qrImageUrl('a b')).toBe('https://wechaty.js.org/qrcode/a%20b');
  });

  it('only logs the status once the code is scanned or confirmed', async () => {
    const c = capture();
    await showLoginQr('https://login.weixin.qq.com/l/abc==', 3, c.out);
    expect(c.printed).toEqual([]);
    expect(c.logs).toEqual([{ obj: { status: 3 }, msg: 'wechaty: login QR code status' }]);
  });
});

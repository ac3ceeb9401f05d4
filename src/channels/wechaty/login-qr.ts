import QRCode from 'qrcode';
import type { Logger } from '../../app/ports.ts';

/**
 * The login QR code of the personal account: drawn in the console for whoever runs the process, and
 * logged as a URL of an image of it (for log viewers and remote operators).
 */

/** Wechaty's ScanStatus values in which the code is waiting to be scanned. */
const WAITING = 2;
const TIMEOUT = 5;

export const qrImageUrl = (qrcode: string) => `https://wechaty.js.org/qrcode/${encodeURIComponent(qrcode)}`;

export async function showLoginQr(qrcode: string, status: number, out: { logger: Logger; print: (text: string) => void }): Promise<void> {
  if (!qrcode || (status !== WAITING && status !== TIMEOUT)) {
    out.logger.info({ status }, 'wechaty: login QR code status');
    return;
  }
  out.logger.info({ url: qrImageUrl(qrcode), status }, 'wechaty: scan the login QR code with the bot account (open the URL for an image of it)');
  try {
    out.print(await QRCode.toString(qrcode, { type: 'terminal', small: true }));
  } catch (error) {
    out.logger.warn({ err: error }, 'wechaty: the QR code could not be drawn in the console; use the logged URL');
  }
}

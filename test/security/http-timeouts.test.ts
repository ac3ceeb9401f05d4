import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/**
 * Against a real listening server: a client that never finishes its body loses its connection after
 * the request timeout, one address cannot hold more than its share of connections, and while it
 * tries, /healthz still answers everyone else.
 */

let app: TestApp;
let port = 0;
beforeAll(async () => {
  app = await startTestApp({
    env: { HTTP_REQUEST_TIMEOUT_MS: '1000', HTTP_CONNECTION_TIMEOUT_MS: '3000', HTTP_MAX_CONNECTIONS_PER_IP: '20' },
    worker: false,
    roster: false,
  });
  await app.daiban.server.listen({ host: '127.0.0.1', port: 0 });
  port = (app.daiban.server.server.address() as { port: number }).port;
});
afterAll(async () => {
  await app.close();
});

/** Opens a connection from `from` (any 127.x address is this machine) and starts a POST whose body never ends. */
function slowClient(from = '127.0.0.1'): Promise<{ socket: Socket; closed: Promise<number> }> {
  return new Promise((resolve, reject) => {
    const opened = Date.now();
    const socket = connect({ host: '127.0.0.1', port, localAddress: from });
    const closed = new Promise<number>((done) => socket.once('close', () => done(Date.now() - opened)));
    socket.on('error', () => undefined);
    // Read what the server says (its 408), so that its close is seen.
    socket.resume();
    socket.once('connect', () => {
      socket.write('POST /api/simulator/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"from":');
      resolve({ socket, closed });
    });
    socket.once('error', reject);
  });
}

const health = async (from: string) =>
  new Promise<number>((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress: from });
    let answer = '';
    socket.on('data', (d: Buffer) => {
      answer += d.toString('utf8');
    });
    socket.once('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0)));
    socket.once('error', reject);
    socket.once('connect', () => socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
  });

describe('the listening server', () => {
  it('closes a connection whose request body never finishes, after the request timeout', async () => {
    const { closed } = await slowClient();
    const heldMs = await closed;
    expect(heldMs).toBeGreaterThanOrEqual(900);
    expect(heldMs).toBeLessThan(5000);
  });

  it('refuses connections past the limit from one address, while another address is served', async () => {
    const held = await Promise.all(Array.from({ length: 20 }, () => slowClient('127.0.0.5')));
    const extra = await slowClient('127.0.0.5');
    // Closed at once, long before the request timeout.
    expect(await extra.closed).toBeLessThan(500);
    expect(await health('127.0.0.6')).toBe(200);
    for (const h of held) h.socket.destroy();
    await Promise.all(held.map((h) => h.closed));
    // Once they are gone, the address is welcome again.
    expect(await health('127.0.0.5')).toBe(200);
  });
});

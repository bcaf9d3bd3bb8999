// Issue 12: what a client sees at the HTTP limits. A client that writes its whole body before
// reading (Python's urllib, many proxies) must get the 413, not a reset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { TOKEN, alert, inProcess, payload, post, settled, closeAfter } from './helpers.js';

interface RawAnswer {
  /** The status code, or the socket error (ECONNRESET, EPIPE) the client met instead. */
  status: number | string;
  headers: string;
}

/**
 * POSTs `size` bytes the blunt way: the whole body first (honouring back-pressure), and only
 * then reading the answer. With `chunked`, no Content-Length is declared.
 */
function blindPost(port: number, size: number, opts: { chunked?: boolean; expectContinue?: boolean } = {}): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    let received = '';
    let done = false;
    const finish = (status: number | string) => {
      if (done) return;
      done = true;
      const headers = received.split('\r\n\r\n')[0] ?? '';
      sock.destroy();
      resolve({ status, headers });
    };
    sock.pause();
    sock.on('error', (err: NodeJS.ErrnoException) => finish(err.code ?? err.message));
    sock.on('data', (d: Buffer) => {
      received += d.toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(received);
      if (m && received.includes('\r\n\r\n') && Number(m[1]) !== 100) finish(Number(m[1]));
    });
    sock.on('end', () => finish('closed without an answer'));
    sock.on('connect', async () => {
      const framing = opts.chunked ? 'transfer-encoding: chunked' : `content-length: ${size}`;
      const write = (b: Buffer | string) =>
        new Promise<void>((ok) => {
          if (sock.write(b)) ok();
          else sock.once('drain', ok);
        });
      await write(
        `POST /alerts HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${TOKEN}\r\ncontent-type: application/json\r\n${framing}\r\n${opts.expectContinue ? 'expect: 100-continue\r\n' : ''}\r\n`,
      );
      if (opts.expectContinue) {
        sock.resume();
        return; // a polite client waits for 100 Continue before the body
      }
      const piece = Buffer.alloc(64 * 1024, 'x'.charCodeAt(0));
      for (let sent = 0; sent < size && !done;) {
        const n = Math.min(piece.length, size - sent);
        const chunk = piece.subarray(0, n);
        await write(opts.chunked ? Buffer.concat([Buffer.from(`${n.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]) : chunk);
        sent += n;
      }
      if (opts.chunked && !done) await write('0\r\n\r\n');
      sock.resume();
    });
  });
}

const MiB = 1024 * 1024;

test(
  '413 the client sees: 1 MiB + 1, 2 MiB and 8 MiB bodies, 20 times each, written whole before reading',
  { timeout: 300_000 },
  async (t) => {
    const { env, rx } = await inProcess((url) => [{ name: 'r', action: { http: { url } } }]);
    closeAfter(t, env, rx);
    const port = Number(new URL(rx.url).port);
    const seen: Record<string, Record<string, number>> = {};
    for (const size of [MiB + 1, 2 * MiB, 8 * MiB]) {
      for (const chunked of [false, true]) {
        const tally: Record<string, number> = {};
        for (let i = 0; i < (chunked ? 5 : 20); i++) {
          const { status } = await blindPost(port, size, { chunked });
          tally[status] = (tally[status] ?? 0) + 1;
        }
        seen[`${size} bytes${chunked ? ' chunked' : ''}`] = tally;
      }
    }
    t.diagnostic(JSON.stringify(seen));
    for (const [what, tally] of Object.entries(seen)) assert.deepEqual(Object.keys(tally), ['413'], `${what}: ${JSON.stringify(tally)}`);
    // The receiver still serves, and counted every refusal.
    assert.equal((await post(rx.url, payload([alert('after', 'r')]))).status, 200);
    await settled(rx.url, 1);
    assert.match(
      await (await fetch(`${rx.url}/metrics`)).text(),
      /sloforge_receiver_requests_total\{route="\/alerts",outcome="too_large"\} 75/,
    );
  },
);

test('413 before the body: a declared Content-Length over the limit is refused at once, even to a client waiting for 100 Continue', async (t) => {
  const { env, rx } = await inProcess((url) => [{ name: 'r', action: { http: { url } } }]);
  closeAfter(t, env, rx);
  const port = Number(new URL(rx.url).port);
  const answer = await blindPost(port, 64 * MiB, { expectContinue: true });
  assert.equal(answer.status, 413);
  assert.match(answer.headers, /connection: close/i);
});

// Unauthenticated clients cannot take every connection slot: 256 keep-alive clients polling
// /healthz (the default cap) must not keep Alertmanager's POST /alerts out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { ReceiverProcess, alert, payload, postFresh, settled, setup, waitFor } from './helpers.js';

/** A keep-alive client that asks for /healthz on one connection every `everyMs`. */
function poller(port: number, everyMs: number): { socket: net.Socket; answers: () => number; stop: () => void } {
  const socket = net.connect(port, '127.0.0.1');
  let answers = 0;
  socket.setEncoding('utf8').on('data', (d: string) => {
    answers += d.split('HTTP/1.1 200').length - 1;
  });
  socket.on('error', () => {});
  const ask = () => {
    if (!socket.destroyed) socket.write('GET /healthz HTTP/1.1\r\nhost: receiver\r\n\r\n');
  };
  ask();
  const timer = setInterval(ask, everyMs);
  return {
    socket,
    answers: () => answers,
    stop: () => {
      clearInterval(timer);
      socket.destroy();
    },
  };
}

test('256 keep-alive /healthz clients do not keep an authenticated POST /alerts out', { timeout: 90_000 }, async (t) => {
  const env = await setup((url) => [{ name: 'r', cooldown: '0s', action: { http: { url } } }]);
  const rx = await ReceiverProcess.start(env);
  const port = Number(new URL(rx.url).port);
  const pollers = Array.from({ length: 256 }, () => poller(port, 2_000));
  t.after(async () => {
    for (const p of pollers) p.stop();
    rx.killGroup();
    await env.target.stop();
  });
  await waitFor('every poller to be answered', () => pollers.every((p) => p.answers() > 0), 40_000);

  assert.equal(await postFresh(rx.url, payload([alert('c0ffee', 'r')])), 200, 'the POST got a slot');
  await settled(rx.url, 1);
  assert.equal(env.target.calls.length, 1);
  const metrics = await (await fetch(`${rx.url}/metrics`)).text();
  assert.match(metrics, /sloforge_receiver_connections_evicted_total [1-9]/);
  // Only unauthenticated pollers made room, a few of them; the rest still hold their connections.
  assert.ok(pollers.filter((p) => !p.socket.destroyed).length >= 250);
});

'use strict';
// Scenario: small reads are Buffers viewing one shared ArrayBuffer (a slab), as Buffer.allocUnsafe's pool is.
// They are real Buffers; each holds exactly its own bytes; and an app that detaches a read's ArrayBuffer
// (moving it with structuredClone or to another thread) loses nothing that arrives afterwards: the next
// reads go to fresh memory instead of the detached one.

const test = require('node:test');
const assert = require('node:assert');
const crypto = require('node:crypto');
const net = require('..');
const { listen, close, track, once } = require('./helpers');

test('small reads are Buffers like core\'s', async (t) => {
  const server = track(t, net.createServer((s) => s.end('hello')));
  const { port } = await listen(server, 0, '127.0.0.1');
  const client = track(t, net.connect(port, '127.0.0.1'));
  const [chunk] = await once(client, 'data');
  assert.ok(Buffer.isBuffer(chunk));
  assert.ok(chunk instanceof Buffer);
  assert.strictEqual(chunk.constructor, Buffer);
  assert.strictEqual(Object.getPrototypeOf(Object.getPrototypeOf(chunk)), Buffer.prototype);
  assert.strictEqual(chunk.toString('utf8'), 'hello');
  assert.strictEqual(chunk.length, 5);
  assert.strictEqual(chunk.toJSON().data.length, 5);
  await close(server);
});

test('detaching the ArrayBuffer of reads now and then loses or corrupts nothing', { timeout: 20000 }, async (t) => {
  const sent = crypto.randomBytes(600 * 1024);
  const received = [];
  let detached = 0;
  const done = new Promise((resolve) => {
    const server = track(t, net.createServer((s) => {
      let n = 0;
      s.on('data', (chunk) => {
        received.push(Buffer.from(chunk));   // a copy: the view itself dies with its ArrayBuffer
        if (++n % 7 === 0 && chunk.buffer.byteLength > chunk.length) {
          structuredClone(chunk.buffer, { transfer: [chunk.buffer] });
          assert.strictEqual(chunk.length, 0);   // detached
          detached++;
        }
      });
      s.on('end', () => { s.end(); resolve(server); });
    }));
    listen(server, 0, '127.0.0.1').then(({ port }) => {
      const client = track(t, net.connect(port, '127.0.0.1'));
      // Small writes, one per loop iteration, so that reads stay small.
      let at = 0;
      const writeSome = () => {
        if (at >= sent.length) return client.end();
        client.write(sent.subarray(at, at + 300));
        at += 300;
        setImmediate(writeSome);
      };
      writeSome();
    });
  });
  const server = await done;
  await close(server);
  assert.ok(detached > 0, 'no read shared an ArrayBuffer');
  assert.ok(Buffer.concat(received).equals(sent));
});

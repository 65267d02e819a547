'use strict';
// Long strings are written as UTF-8 by fastnet's own Latin-1 expansion where their characters are below 256
// (and, for a string with others, up to the first of them). Whatever the string (one-byte or two-byte in V8,
// Latin-1 bytes of every value, lengths around every block boundary, surrogate pairs and lone surrogates
// after a Latin-1 run), what arrives must be exactly Buffer.from(string, 'utf8'), alone, queued or corked.
const test = require('node:test');
const assert = require('node:assert');
const fastnet = require('..');
const { listen, once } = require('./helpers');

// Deterministic pseudo-random numbers, so a failure names a reproducible case.
let seed = 12345;
function random(n) {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
}

function latin1String(length, alphabet) {
  let s = '';
  for (let i = 0; i < length; i++) s += String.fromCharCode(alphabet[random(alphabet.length)]);
  return s;
}

const ASCII = Array.from({ length: 128 }, (_, i) => i);
const HIGH = Array.from({ length: 128 }, (_, i) => 128 + i);
const ALL = Array.from({ length: 256 }, (_, i) => i);

function strings() {
  const out = [];
  const lengths = [0, 1, 15, 16, 17, 1023, 1024, 1025, 1040, 4095, 4096, 16383, 16384, 16385, 40000, 70001];
  for (const length of lengths) {
    for (const alphabet of [ASCII, HIGH, ALL]) out.push(latin1String(length, alphabet));
    // blocks that are all ASCII, all high, then mixed
    out.push(latin1String(length, ASCII).split('').map((c, i) => (i % 37 < 16 ? c : '\u00fc')).join(''));
  }
  const tails = ['\u0101', '\u4e2d\u6587', '\ud83d\ude00', '\ud83d', '\ude00x', '\u20ac'.repeat(3000)];
  for (const length of [1023, 1024, 1025, 3000, 20000]) {
    for (const tail of tails) {
      const head = latin1String(length, ALL);
      out.push(head + tail);                      // two-byte, Latin-1 up to the end
      out.push(head + tail + latin1String(500, ALL));
      out.push(tail + head);                      // two-byte from the start
    }
  }
  // a two-byte string (in V8) whose characters are all below 256: a slice of a two-byte string
  const twoByte = ('\u0101' + latin1String(5000, ALL)).slice(1);
  out.push(twoByte, twoByte + twoByte);
  return out;
}

async function roundTrip(write) {  // write(socket) returns (a promise of) the expected Buffers
  const server = fastnet.createServer();
  const received = [];
  const done = new Promise((resolve) => {
    server.on('connection', (socket) => {
      socket.on('data', (d) => received.push(d));
      socket.on('end', resolve);
    });
  });
  await listen(server, 0, '127.0.0.1');
  const client = fastnet.connect(server.address().port, '127.0.0.1');
  await once(client, 'connect');
  const expected = await write(client);
  client.end();
  await done;
  server.close();
  return { got: Buffer.concat(received), expected: Buffer.concat(expected) };
}

function compare({ got, expected }, list) {
  if (got.equals(expected)) return;
  // name the first string that differs
  let at = 0;
  for (const s of list) {
    const want = Buffer.from(s, 'utf8');
    if (!got.subarray(at, at + want.length).equals(want)) {
      assert.fail(`string of length ${s.length} (first chars ${JSON.stringify(s.slice(0, 8))}, ` +
        `last ${JSON.stringify(s.slice(-4))}) arrived differently at byte ${at}`);
    }
    at += want.length;
  }
  assert.fail(`lengths differ: got ${got.length}, expected ${expected.length}`);
}

test('one write per loop iteration: each string arrives as its UTF-8', async () => {
  const list = strings();
  const result = await roundTrip(async (socket) => {
    const expected = [];
    for (const s of list) {   // alone in its iteration, a write goes to the native side as the string itself
      await new Promise((resolve) => socket.write(s, resolve));
      await new Promise(setImmediate);
      expected.push(Buffer.from(s, 'utf8'));
    }
    return expected;
  });
  compare(result, list);
});

test('many writes at once (the first goes out, the next waits, the rest queue): each arrives as its UTF-8',
  async () => {
    const list = strings();
    const result = await roundTrip((socket) => list.map((s) => {
      socket.write(s);
      return Buffer.from(s, 'utf8');
    }));
    compare(result, list);
  });

test("explicit 'utf8' and 'utf-8' encodings, corked groups, a default encoding", async () => {
  const list = strings();
  const result = await roundTrip(async (socket) => {
    socket.setDefaultEncoding('utf8');
    const expected = [];
    for (let i = 0; i < list.length; i += 3) {
      // a corked group alone in its iteration: joined into one string when it is short enough
      socket.cork();
      let written;
      for (const s of list.slice(i, i + 3)) {
        written = new Promise((resolve) => socket.write(s, i % 2 ? 'utf-8' : undefined, resolve));
        expected.push(Buffer.from(s, 'utf8'));
      }
      socket.uncork();
      await written;
      await new Promise(setImmediate);
    }
    return expected;
  });
  compare(result, list);
});

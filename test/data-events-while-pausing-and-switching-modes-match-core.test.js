'use strict';
// Scenario: a client reads messages that arrive one by one (the peer waits between them), and meanwhile
// pauses and resumes inside 'data', switches to an encoding, then leaves 'data' for 'readable' and read(),
// then back to flowing with an async iterator. Every 'data'/'readable'/'end'/'close' event, what it carried and
// readableFlowing at that moment must be what core gives (fastnet emits 'data' at once for a flowing socket
// with nothing buffered, without push()'s read-more tick; this checks it changes nothing one can observe).

const test = require('node:test');
const assert = require('node:assert');
const coreNet = require('node:net');
const net = require('..');
const { listen, close, track } = require('./helpers');

const MESSAGES = 12;

async function trace(t, impl) {
  const server = track(t, impl.createServer(async (s) => {
    for (let i = 0; i < MESSAGES; i++) {
      s.write(`message-${String(i).padStart(2, '0')};`);
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
    s.end();
  }));
  const { port } = await listen(server, 0, '127.0.0.1');
  const client = track(t, impl.connect(port, '127.0.0.1'));
  const events = [];
  const note = (what, value) => events.push(`${what} ${value === undefined ? '' : String(value)} flowing=${client.readableFlowing}`);
  let n = 0;
  await new Promise((resolve) => {
    const onData = (chunk) => {
      n++;
      note('data', typeof chunk === 'string' ? `string ${chunk}` : `buffer ${chunk}`);
      if (n === 2) {
        client.pause();
        setTimeout(() => { note('resume'); client.resume(); }, 40);
      }
      if (n === 4) client.setEncoding('hex');
      if (n === 6) {
        client.off('data', onData);
        client.pause();
        client.on('readable', function onReadable() {
          let chunk;
          while ((chunk = client.read()) !== null) note('read', chunk);
          if (events.filter((e) => e.startsWith('read ')).length >= 2) {
            client.off('readable', onReadable);
            (async () => {
              for await (const c of client) note('iterated', c);
              note('iterator done');
              resolve();
            })();
          }
        });
      }
    };
    client.on('data', onData);
    client.on('end', () => note('end'));
  });
  await close(server);
  return events;
}

test('data, pause/resume, setEncoding, readable and async iteration: the events core gives', { timeout: 20000 }, async (t) => {
  const core = await trace(t, coreNet);
  const fast = await trace(t, net);
  assert.deepStrictEqual(fast, core);
  assert.ok(core.some((e) => e.startsWith('iterated')), core.join('\n'));
});

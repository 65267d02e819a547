'use strict';
// A fastnet Socket makes its Writable state only when something first uses it (memory per idle
// connection). Whatever touches it first, and whenever, what a program sees must be what core's Socket
// shows: highWaterMark options, their validation at construction, the default highWaterMark of the
// moment of construction, writable* getters, destroyed, instanceof, and events of a socket that only reads.
const test = require('node:test');
const assert = require('node:assert');
const stream = require('node:stream');
const coreNet = require('node:net');
const fastnet = require('..');
const { listen, once, thrownShape } = require('./helpers');

function shape(socket) {
  return {
    writableHighWaterMark: socket.writableHighWaterMark,
    readableHighWaterMark: socket.readableHighWaterMark,
    writable: socket.writable,
    writableLength: socket.writableLength,
    writableEnded: socket.writableEnded,
    writableFinished: socket.writableFinished,
    writableCorked: socket.writableCorked,
    writableNeedDrain: socket.writableNeedDrain,
    destroyed: socket.destroyed,
    isWritable: socket instanceof stream.Writable,
    isDuplex: socket instanceof stream.Duplex,
  };
}

const OPTIONS = [
  undefined,
  { highWaterMark: 7 },
  { writableHighWaterMark: 5 },
  { readableHighWaterMark: 3, writableHighWaterMark: 0 },
  { writable: false },
  { readable: false },
  { allowHalfOpen: true },
];

test('unconnected sockets: the same writable side as core for each option set', () => {
  for (const options of OPTIONS) {
    const ours = new fastnet.Socket(options);
    const core = new coreNet.Socket(options);
    assert.deepStrictEqual(shape(ours), shape(core), JSON.stringify(options));
    ours.destroy();
    core.destroy();
    assert.deepStrictEqual(shape(ours), shape(core), `after destroy(), ${JSON.stringify(options)}`);
  }
});

test('invalid highWaterMark options throw at construction, as core', () => {
  for (const options of [{ writableHighWaterMark: -1 }, { writableHighWaterMark: 1.5 }, { highWaterMark: 'x' },
    { writableHighWaterMark: NaN }]) {
    assert.deepStrictEqual(thrownShape(() => new fastnet.Socket(options)),
      thrownShape(() => new coreNet.Socket(options)), JSON.stringify(options));
  }
});

test('a default highWaterMark changed after construction does not reach an existing socket', { skip:
  typeof stream.setDefaultHighWaterMark !== 'function' && 'no stream.setDefaultHighWaterMark here' }, () => {
  const before = stream.getDefaultHighWaterMark(false);
  const ours = new fastnet.Socket();
  const core = new coreNet.Socket();
  stream.setDefaultHighWaterMark(false, before * 2);
  try {
    assert.strictEqual(ours.writableHighWaterMark, core.writableHighWaterMark);
    assert.strictEqual(ours.writableHighWaterMark, before);
    const later = new fastnet.Socket();
    assert.strictEqual(later.writableHighWaterMark, before * 2);
    later.destroy();
  } finally {
    stream.setDefaultHighWaterMark(false, before);
    ours.destroy();
    core.destroy();
  }
});

// An accepted socket that only reads, then sees the peer's FIN: without allowHalfOpen it ends its own
// side (the first use of its Writable half) and closes. The events and the writable side as core's.
async function onlyReads(net) {
  const server = net.createServer();
  const events = [];
  const done = new Promise((resolve) => {
    server.on('connection', (socket) => {
      events.push(`connection destroyed=${socket.destroyed}`);
      socket.on('data', (d) => events.push(`data ${d.length} writable=${socket.writable}`));
      socket.on('end', () => events.push(`end writableEnded=${socket.writableEnded}`));
      socket.on('finish', () => events.push('finish'));
      socket.on('close', (hadError) => {
        events.push(`close ${hadError} destroyed=${socket.destroyed} writableFinished=${socket.writableFinished}`);
        resolve();
      });
    });
  });
  await listen(server, 0, '127.0.0.1');
  const client = coreNet.connect(server.address().port, '127.0.0.1');
  await once(client, 'connect');
  client.end('hello');
  client.resume();
  await done;
  server.close();
  return events;
}

test('an accepted socket that only reads, then gets EOF: the same events as core', async () => {
  const core = await onlyReads(coreNet);
  const ours = await onlyReads(fastnet);
  assert.ok(core.length >= 4, core.join('; '));
  assert.deepStrictEqual(ours, core);
});

'use strict';
// Scenario: half-close. The client end()s its side; with allowHalfOpen the server sees 'end' but can
// still write, and the client receives that reply and then 'end'. Without allowHalfOpen the server
// side ends its writable side by itself after 'end'.

const test = require('node:test');
const assert = require('node:assert');
const net = require('..');
const { listen, close, once, track, tmpSocketPath } = require('./helpers');

async function halfOpenReply(t, listenArgs, connectArgs) {
  const events = [];
  let serverClosed;
  const serverSideClosed = new Promise((resolve) => { serverClosed = resolve; });
  const server = track(t, net.createServer({ allowHalfOpen: true }, (s) => {
    let got = '';
    s.setEncoding('utf8');
    s.on('data', (d) => { got += d; });
    s.on('end', () => {
      events.push('server end');
      // Our readable side is over, our writable side is still open.
      assert.strictEqual(s.readableEnded, true);
      assert.strictEqual(s.writable, true);
      assert.strictEqual(s.writableEnded, false);
      assert.strictEqual(s.destroyed, false);
      // Reply after a delay: the connection must stay half open meanwhile.
      setTimeout(() => {
        s.write('reply to ');
        s.end(got.toUpperCase(), () => events.push('server finish'));
      }, 50);
    });
    s.on('close', () => { events.push('server close'); serverClosed(); });
  }));
  const address = await listen(server, ...listenArgs);

  const client = track(t, net.connect(...connectArgs(address)));
  await once(client, 'connect');
  let reply = '';
  client.setEncoding('utf8');
  client.on('data', (d) => {
    events.push('client data');
    reply += d;
  });
  const closed = once(client, 'close');
  client.end('hello', () => events.push('client finish'));
  assert.strictEqual(client.writableEnded, true);
  await once(client, 'end');
  events.push('client end');
  // Still readable until 'end': the data arrived although we had ended our side long before.
  assert.strictEqual(reply, 'reply to HELLO');
  await closed;
  await serverSideClosed;
  await close(server);
  assert.strictEqual(client.bytesWritten, 5);
  assert.strictEqual(client.bytesRead, 14);

  // Order: the client's FIN reached the server before the server replied; the reply came before
  // the client's 'end'.
  assert.ok(events.indexOf('client finish') < events.indexOf('client data'), events.join(', '));
  assert.ok(events.indexOf('server end') < events.indexOf('client data'), events.join(', '));
  assert.ok(events.indexOf('client data') < events.indexOf('client end'), events.join(', '));
  assert.ok(events.includes('server finish'), events.join(', '));
  assert.ok(events.includes('server close'), events.join(', '));
}

test('allowHalfOpen: server writes after the client end()s (TCP)', { timeout: 10000 }, (t) =>
  halfOpenReply(t, [0, '127.0.0.1'], (a) => [a.port, '127.0.0.1']));

test('allowHalfOpen: server writes after the client end()s (Unix socket)', { timeout: 10000 }, (t) => {
  const p = tmpSocketPath('halfopen');
  return halfOpenReply(t, [p], () => [p]);
});

test('allowHalfOpen on the client: the client writes after the server end()s', { timeout: 10000 }, async (t) => {
  const server = track(t, net.createServer((s) => {
    let got = '';
    s.setEncoding('utf8');
    s.on('data', (d) => { got += d; });
    s.on('end', () => {
      assert.strictEqual(got, 'late reply');
      s.end(); // allowHalfOpen is false here, but ending explicitly is fine too
    });
    s.end('bye');
  }));
  const { port } = await listen(server, 0, '127.0.0.1');
  const client = track(t, net.connect({ port, host: '127.0.0.1', allowHalfOpen: true }));
  client.setEncoding('utf8');
  let got = '';
  client.on('data', (d) => { got += d; });
  const closed = once(client, 'close');
  await once(client, 'end');
  assert.strictEqual(got, 'bye');
  assert.strictEqual(client.writable, true);
  assert.strictEqual(client.writableEnded, false);
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.strictEqual(client.destroyed, false);
  client.end('late reply');
  await closed;
  await close(server);
});

test('allowHalfOpen false (default): the server side ends by itself after \'end\'', { timeout: 10000 }, async (t) => {
  const serverSide = {};
  const server = track(t, net.createServer((s) => {
    assert.strictEqual(s.allowHalfOpen, false);
    s.resume();
    s.on('end', () => { serverSide.end = true; });
    s.on('finish', () => { serverSide.finish = true; });
    s.on('close', (hadError) => { serverSide.close = hadError; });
    // The server never calls end() itself.
  }));
  const { port } = await listen(server, 0, '127.0.0.1');
  const client = track(t, net.connect({ port, host: '127.0.0.1', allowHalfOpen: true }));
  await once(client, 'connect');
  client.resume();
  const closed = once(client, 'close');
  client.end('hello');
  await once(client, 'end'); // the server's automatic FIN
  await closed;
  await close(server);
  assert.deepStrictEqual(serverSide, { end: true, finish: true, close: false });
});

test('allowHalfOpen false on the client: it ends by itself when the server end()s', { timeout: 10000 }, async (t) => {
  const serverGot = [];
  const server = track(t, net.createServer({ allowHalfOpen: true }, (s) => {
    s.on('data', (d) => serverGot.push(String(d)));
    s.on('end', () => serverGot.push('<end>'));
    s.end('bye');
  }));
  const { port } = await listen(server, 0, '127.0.0.1');
  const client = track(t, net.connect(port, '127.0.0.1'));
  client.resume();
  const finished = once(client, 'finish');
  const closed = once(client, 'close');
  await once(client, 'end');
  await finished; // client sent its FIN without calling end()
  await closed;
  await close(server);
  assert.deepStrictEqual(serverGot, ['<end>']);
});

'use strict';
// libuv's I/O callbacks of one poll phase share a handle scope that the env's check handle closes (handle.c).
// Callbacks libuv runs elsewhere, the last ones before the loop ends among them, must not leave it open: a
// write whose completion a close leaves to the closing phase (with status 0), an idle timeout, a refused
// connect, and poll phases with more callbacks than one scope serves. Each script runs in a child process
// under core net and under fastnet: the same events, and an exit without a fatal V8 error.

const test = require('node:test');
const assert = require('node:assert');
const { FASTNET, runChild } = require('./helpers');

const SCRIPTS = {
  'a flushed write completed by the close of its socket, the last thing the loop does': `
    let client;
    const server = net.createServer((s) => {
      s.once('data', () => {
        client.destroy();   // in the poll phase: the flushed write's completion is left to the closing phase
        s.destroy();
        server.close();
      });
    });
    server.listen(0, '127.0.0.1', () => {
      client = net.connect(server.address().port, '127.0.0.1', () => {
        client.write('a');
        client.write('b', (err) => events.push('b ' + (err ? err.code : 'ok')));   // held until the loop polls
      });
      client.on('close', () => events.push('client close'));
    });`,

  'an idle timeout, the last callback': `
    const server = net.createServer((s) => s.on('close', () => server.close()));
    server.listen(0, '127.0.0.1', () => {
      const client = net.connect(server.address().port, '127.0.0.1');
      client.setTimeout(20, () => { events.push('timeout'); client.destroy(); });
      client.on('close', () => events.push('client close'));
    });`,

  'a refused connect, the last callback': `
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => {
        const client = net.connect(port, '127.0.0.1');
        client.on('error', (err) => events.push(err.code));
        client.on('close', () => events.push('client close'));
      });
    });`,

  '200 echoes whose callbacks crowd into the same poll phases': `
    const server = net.createServer((s) => s.pipe(s));
    server.listen(0, '127.0.0.1', () => {
      let left = 200;
      let echoed = 0;
      for (let i = 0; i < 200; i++) {
        const client = net.connect(server.address().port, '127.0.0.1', () => client.end('x'.repeat(1000) + i));
        let got = '';
        client.setEncoding('latin1');
        client.on('data', (d) => { got += d; });
        client.on('end', () => { if (got === 'x'.repeat(1000) + i) echoed++; });
        client.on('close', () => { if (--left === 0) { events.push('echoed ' + echoed); server.close(); } });
      }
    });`,
};

for (const [name, body] of Object.entries(SCRIPTS)) {
  test(name, async () => {
    const script = (impl) => `
      const net = require(${JSON.stringify(impl)});
      const events = [];
      process.on('exit', () => console.log(JSON.stringify(events)));
      ${body}`;
    const core = await runChild(script('net'));
    const ours = await runChild(script(FASTNET));
    assert.deepStrictEqual({ code: core.code, stderr: core.stderr }, { code: 0, stderr: '' });
    assert.deepStrictEqual({ code: ours.code, signal: ours.signal, stderr: ours.stderr },
                           { code: 0, signal: null, stderr: '' });
    assert.deepStrictEqual(JSON.parse(ours.stdout), JSON.parse(core.stdout));
  });
}

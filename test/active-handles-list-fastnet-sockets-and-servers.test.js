'use strict';
// Scenario: process._getActiveHandles() and process.getActiveResourcesInfo() (what tools such as why-is-node-
// running and test runners read to find what keeps a process alive) list fastnet's servers and sockets as core
// lists its own: only ref'd handles not yet closed, as their owners (net.Server, net.Socket) and as core's names
// ('TCPServerWrap', 'TCPSocketWrap', 'PipeWrap'). The same script runs with core's net and with fastnet.

const test = require('node:test');
const assert = require('node:assert');
const { FASTNET, runChild, tmpSocketPath } = require('./helpers');

const SCRIPT = (impl, pipePath) => `
'use strict';
const net = require(${JSON.stringify(impl)});
// stdio made now, so both runs list them from the start (core's destroy path may touch stderr)
void process.stdout, process.stderr;
const snapshots = [];
function snap(label) {
  // sorted: the order of core's own handles among each other is its business
  const owners = process._getActiveHandles()
    .map((h) => h === process.stdout || h === process.stderr ? 'stdio' : net.Server.prototype.isPrototypeOf(h) ? 'Server' : net.Socket.prototype.isPrototypeOf(h) ? 'Socket' : 'other ' + h.constructor.name)
    .sort();
  const names = process.getActiveResourcesInfo().filter((n) => n.endsWith('Wrap') && n !== 'ConnectWrap').sort();
  snapshots.push(label + ': ' + owners.join(',') + ' | ' + names.join(','));
}
snap('start');
const server = net.createServer((s) => {
  snap('accepted');
  s.unref();
  snap('accepted socket unref');
  s.ref();
  s.destroy();
  snap('accepted socket destroyed');
  s.on('close', () => {
    snap('accepted socket closed');
    client.destroy();
    client.on('close', () => {
      server.close(() => {
        snap('server closed');
        pipes();
      });
      snap('server closing');
    });
  });
});
let client;
server.listen(0, '127.0.0.1', () => {
  snap('listening');
  client = net.connect(server.address().port, '127.0.0.1');
  snap('connecting');
});
function pipes() {
  const ps = net.createServer((s) => {
    snap('pipe accepted');
    s.end();
    c.destroy();
    ps.close(() => { snap('all closed'); console.log(snapshots.join('\\n')); });
  });
  ps.listen(${JSON.stringify(pipePath)}, () => {
    snap('pipe listening');
    ps.unref();
    snap('pipe server unref');
    ps.ref();
  });
  const c = net.connect(${JSON.stringify(pipePath)});
}
`;

test('active handles and resources list fastnet servers and sockets as core lists its own', { timeout: 30000 }, async () => {
  const core = await runChild(SCRIPT('net', tmpSocketPath('active-core')));
  const ours = await runChild(SCRIPT(FASTNET, tmpSocketPath('active-fastnet')));
  assert.strictEqual(core.code, 0, core.stderr);
  assert.strictEqual(ours.code, 0, ours.stderr);
  assert.strictEqual(ours.stdout, core.stdout);
  // besides stdout and stderr (two pipes)
  assert.match(ours.stdout, /\nlistening: Server,stdio,stdio \| PipeWrap,PipeWrap,TCPServerWrap\n/);
  assert.match(ours.stdout, /\nconnecting: Server,Socket,stdio,stdio \| PipeWrap,PipeWrap,TCPServerWrap,TCPSocketWrap\n/);
  assert.match(ours.stdout, /\npipe server unref: Server,Socket,stdio,stdio \| PipeWrap,PipeWrap,PipeWrap,TCPServerWrap\n/);
});

'use strict';
// Two ways a raw handle (socket._handle) used to abort the process in libuv, as core's own handles still do:
// - open(fd) of a descriptor epoll cannot watch (a regular file, /dev/null): reading it aborted in the poll.
//   open() now refuses it (EINVAL), as core's net refuses such a descriptor by its type before a handle sees it.
// - a TCP handle told setNoDelay(true) or setKeepAlive(true) before open(fd) of a descriptor that is not a
//   socket: open() fails setting the option, but libuv has already marked the handle readable and writable, so
//   readStart() and shutdown() reached an assertion. They now answer ENOTCONN, as before any open().
// - two handles opening one descriptor: closing both closed it twice, the second time as some newer handle's,
//   whose next poll aborted. A descriptor an open handle of this thread holds is refused (EEXIST, libuv's
//   answer for one it polls).
const test = require('node:test');
const assert = require('node:assert');
const { FASTNET, runChild } = require('./helpers');

test('open() of a file or /dev/null is refused; a failed open leaves a handle that reads and shuts down nothing',
  { skip: process.platform === 'win32' }, async () => {
    const { code, signal, stdout, stderr } = await runChild(`
      const fs = require('fs'), os = require('os'), path = require('path');
      const { execFileSync } = require('child_process');
      const { binding } = require(${JSON.stringify(FASTNET + '/lib/native')});
      const os_ = require('os').constants.errno;
      const results = {};
      const file = fs.openSync(process.execPath, 'r');
      const devnull = fs.openSync('/dev/null', 'r+');
      for (const [name, fd] of [['file', file], ['devnull', devnull]]) {
        for (const type of ['TCP', 'PIPE']) {
          const h = new binding.Socket(binding[type]);
          results[name + ' ' + type] = [h.open(fd), h.readStart(), h.shutdown()];
          h.close();
        }
      }
      // a FIFO is not a socket: setting TCP_NODELAY or SO_KEEPALIVE on it fails inside uv_tcp_open
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fastnet-fifo-'));
      const fifoPath = path.join(dir, 'fifo');
      execFileSync('mkfifo', [fifoPath]);
      for (const option of ['setNoDelay', 'setKeepAlive']) {
        const fifo = fs.openSync(fifoPath, 'r+');
        const h = new binding.Socket(binding.TCP);
        h[option](true, 1);
        const opened = h.open(fifo);
        results['fifo after ' + option] = [opened, h.fd, h.readStart(), h.shutdown()];
        h.close();  // closes the FIFO if the handle took it
        if (opened !== 0) fs.closeSync(fifo);
      }
      fs.rmSync(dir, { recursive: true });
      setTimeout(() => console.log(JSON.stringify({ results, EINVAL: -os_.EINVAL, ENOTCONN: -os_.ENOTCONN,
                                                    ENOTSOCK: -os_.ENOTSOCK })), 50);
    `);
    assert.strictEqual(signal, null, stderr);
    assert.strictEqual(code, 0, stderr);
    const { results, EINVAL, ENOTCONN, ENOTSOCK } = JSON.parse(stdout);
    for (const name of ['file TCP', 'file PIPE', 'devnull TCP', 'devnull PIPE']) {
      assert.deepStrictEqual(results[name], [EINVAL, ENOTCONN, ENOTCONN], name);
    }
    // setKeepAlive before a descriptor is remembered by JS, not by libuv: only setNoDelay reaches uv_tcp_open
    assert.deepStrictEqual(results['fifo after setNoDelay'], [ENOTSOCK, -1, ENOTCONN, ENOTCONN]);
    const [openKeepAlive, fd] = results['fifo after setKeepAlive'];
    assert.ok(openKeepAlive === 0 ? fd >= 0 : fd === -1, JSON.stringify(results));
  });

test("a raw handle's setNoDelay enables only with true, as core's handle reads its argument",
  { skip: process.platform === 'win32' }, async () => {
    const { code, signal, stdout, stderr } = await runChild(`
      const { binding } = require(${JSON.stringify(FASTNET + '/lib/native')});
      const fs = require('fs'), os = require('os'), path = require('path');
      const { execFileSync } = require('child_process');
      // a handle remembers nodelay before open (uv_tcp_open then sets it, and fails on a FIFO): which
      // arguments turned it on shows in whether open() of a FIFO fails
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fastnet-fifo-'));
      const fifoPath = path.join(dir, 'fifo');
      execFileSync('mkfifo', [fifoPath]);
      const out = {};
      for (const [name, args] of [['none', []], ['true', [true]], ['1', [1]], ['"yes"', ['yes']], ['false', [false]]]) {
        const fifo = fs.openSync(fifoPath, 'r+');
        const h = new binding.Socket(binding.TCP);
        h.setNoDelay(...args);
        out[name] = h.open(fifo) === 0 ? 'off' : 'on';
        h.close();
        if (out[name] === 'on') fs.closeSync(fifo);
      }
      fs.rmSync(dir, { recursive: true });
      console.log(JSON.stringify(out));
    `);
    assert.strictEqual(signal, null, stderr);
    assert.strictEqual(code, 0, stderr);
    assert.deepStrictEqual(JSON.parse(stdout), { none: 'off', true: 'on', 1: 'off', '"yes"': 'off', false: 'off' });
  });

test('a descriptor another open handle holds is refused; once that handle closed, it can be opened again',
  { skip: process.platform === 'win32' }, async () => {
    const { code, signal, stdout, stderr } = await runChild(`
      const { binding } = require(${JSON.stringify(FASTNET + '/lib/native')});
      const fd = binding.bindTcp('127.0.0.1', 0, false, false, false, {});
      const a = new binding.Socket(binding.TCP), b = new binding.Server(binding.TCP), c = new binding.Socket(binding.TCP);
      const out = [a.open(fd), b.open(fd), c.open(fd), c.open(fd, true) === 0 && c.fd !== fd];
      a.close(() => {
        const d = new binding.Socket(binding.PIPE);
        out.push(d.open(fd) === -require('os').constants.errno.EBADF);  // closed with a: not ours any more
        b.close(); c.close(); d.close();
        console.log(JSON.stringify({ out, EEXIST: -require('os').constants.errno.EEXIST }));
      });
    `);
    assert.strictEqual(signal, null, stderr);
    assert.strictEqual(code, 0, stderr);
    const { out, EEXIST } = JSON.parse(stdout);
    assert.deepStrictEqual(out, [0, EEXIST, EEXIST, true, true]);
  });

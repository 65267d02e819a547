'use strict';
// fastnet sockets and servers over IPC: child_process's send(), cluster, and spawn's stdio array.
//
// Core's child_process accepts only core objects (it checks instanceof core net.Socket / net.Server and
// hands the C++ handle to the channel). So, once per process:
//  - sending: a fastnet Socket or Server is replaced by a core one over a duplicate of its descriptor, which
//    core sends and disposes of as its own; the fastnet original is then treated as core treats what it sent;
//  - receiving: a core Socket or Server that arrives with a user message becomes a fastnet one. Core is told
//    to deliver it as a raw handle (type 'net.Native'), so that it never starts reading or accepting with it;
//    the 'message' event then adopts the descriptor. Cluster's own messages (which carry raw handles that
//    lib/server.js adopts) are left alone.
// A process that never loads fastnet keeps core's behaviour untouched: it sends and receives core objects.
const coreNet = require('net');
const { ChildProcess } = require('child_process');
const { binding, kOwner, closeHandle } = require('./native');
const { errnoException } = require('./errors');
const { Socket, isSocket } = require('./socket');
const { Server, isServer } = require('./server');

const kCoreType = new WeakMap();  // raw core handle received -> the type it was sent as ('net.Socket' | 'net.Server')
const installed = new WeakSet();  // targets (process, ChildProcess) whose send and emit are wrapped

// A handle's descriptor (fastnet's or core's: both have `fd`), or -1.
function fdOf(handle) {
  return typeof handle.fd === 'number' ? handle.fd : -1;
}

function isFastnet(x) {
  return isSocket(x) || isServer(x);
}

// Core's owner_symbol (handle -> its net object), which cluster reads on the handles it hands out: it is not
// exported, so it is read back from a core Socket built over a plain object (no descriptor, no I/O).
let ownerSymbol;
function coreOwnerSymbol() {
  if (ownerSymbol === undefined) {
    const probe = {};
    new coreNet.Socket({ handle: probe, manualStart: true });
    ownerSymbol = Object.getOwnPropertySymbols(probe).find((s) => s.description === 'owner_symbol') ?? null;
  }
  return ownerSymbol;
}

// A core net.Socket over a duplicate of `fd` (manualStart: it never reads). Throws like core's open().
function coreSocketOver(fd) {
  const copy = binding.dup(fd);
  if (copy < 0) throw errnoException(copy, 'dup');
  try {
    return new coreNet.Socket({ fd: copy, manualStart: true });
  } catch (err) {
    require('fs').closeSync(copy);
    throw err;
  }
}

// Sending side: wrap target.send (an own property set up by core per channel).
function wrapSend(target) {
  const send = target.send;
  target.send = function(message, handle, options, callback) {
    const nativeHandle = handle instanceof binding.Socket || handle instanceof binding.Server;
    if (!(isFastnet(handle) || nativeHandle) || !this.connected) return Reflect.apply(send, this, arguments);
    if (typeof options === 'function') {
      callback = options;
      options = undefined;
    }
    // core validates options before it looks at the handle: let it throw the same error
    if (options !== undefined && (options === null || typeof options !== 'object')) {
      return Reflect.apply(send, this, arguments);
    }
    const native = nativeHandle ? handle : handle._handle;
    const fd = native ? fdOf(native) : -1;
    if (fd < 0) return Reflect.apply(send, this, [message, undefined, options, callback]);  // core: no handle to send

    if (isServer(handle) || nativeHandle) {
      // Core leaves a sent server (or bare handle) open, and never closes what it sent: the copy is closed by
      // us once the write is done (the descriptor is in the kernel's message by then). A bare handle goes as
      // core's own bare handle over the copy.
      const carrier = coreSocketOver(fd);
      let sent = carrier._handle;
      if (!nativeHandle) {
        sent = new coreNet.Server();
        sent._handle = carrier._handle;
      }
      const done = (err) => {
        carrier.destroy();
        if (typeof callback === 'function') callback(err);
        else if (err) this.emit('error', err);  // what core does when there is no callback
      };
      return sendCopy(this, send, [message, sent, options, done], carrier);
    }

    // A socket: core closes the copy it sent once the receiver acknowledges it (keepOpen: false, always).
    // Sent for good, the copy stands for the socket of its server: core then counts it among the server's
    // connections in the receiver (server._setupWorker), and no longer here.
    const keepOpen = !!(options && options.keepOpen);
    const copy = coreSocketOver(fd);
    if (!keepOpen && handle.server) copy.server = handle.server;
    const ret = sendCopy(this, send, [message, copy, { ...options, keepOpen: false }, callback], copy);
    if (!keepOpen) detachSent(handle);
    return ret;
  };
}

// Core's send with the copy; if it throws (a message it cannot send), the copy is closed before the error
// goes on to the caller, and the original is left as it was.
function sendCopy(target, send, args, copy) {
  try {
    return Reflect.apply(send, target, args);
  } catch (err) {
    copy.destroy();
    throw err;
  }
}

// What core does to a socket it sent without keepOpen: the socket loses its handle (it is not destroyed); its
// server's count was moved to the receiver by core (see copy.server). Our own handle is closed now: the copy
// carries the connection (close() sends no FIN while another descriptor refers to it, and flushes a deferred
// write first).
function detachSent(socket) {
  const native = socket._handle;
  native.reading = false;
  native.readStop();
  socket._handle = null;
  socket.setTimeout(0);
  native[kOwner] = undefined;
  closeHandle(native);
}

// Receiving side: wrap target.emit. Core emits 'internalMessage' (NODE_HANDLE, with the raw handle) first, then
// 'message' with what its conversion made; we make that conversion ours.
function wrapEmit(target) {
  const emit = target.emit;
  target.emit = function(event, message, handle) {
    if (event === 'internalMessage' && handle && message && message.cmd === 'NODE_HANDLE' &&
        (message.type === 'net.Socket' || message.type === 'net.Server') && !isInternal(message.msg)) {
      kCoreType.set(handle, message.type);
      if (message.type === 'net.Server') message.type = 'net.Native';  // else core would accept on it
    } else if (event === 'message' && handle instanceof coreNet.Socket && kCoreType.has(handle._handle)) {
      kCoreType.delete(handle._handle);
      return Reflect.apply(emit, this, [event, message, adoptSocket(handle)]);
    } else if (event === 'message' && handle && kCoreType.has(handle)) {
      kCoreType.delete(handle);
      // A server is delivered listening, as core's is.
      const server = adoptServer(handle);
      server.once('listening', () => Reflect.apply(emit, this, [event, message, server]));
      return this.listenerCount(event) > 0;
    }
    return Reflect.apply(emit, this, arguments);
  };
}

// Core's test for the messages it keeps to itself (cluster's and child_process's own).
function isInternal(msg) {
  return msg !== null && typeof msg === 'object' && typeof msg.cmd === 'string' &&
    msg.cmd.length > 4 && msg.cmd.startsWith('NODE_');
}

// A socket as core made it: core counts it for the server it came from (until its 'close'), so it is kept,
// but stops reading at once (before the loop can read anything into it); a fastnet socket takes a duplicate of
// its descriptor. When the fastnet one closes, the core one closes too, and says so at once (before the app's
// own 'close' listeners run), so that the sender's getConnections() already counts one less.
function adoptSocket(coreSocket) {
  const coreHandle = coreSocket._handle;
  coreHandle.reading = false;
  coreHandle.readStop();
  coreSocket.on('error', () => {});
  const handle = new binding.Socket(binding.guessHandleType(coreHandle.fd) === 'PIPE' ? binding.PIPE : binding.TCP);
  const err = handle.open(coreHandle.fd, true);
  const socket = err ? new Socket() : new Socket({ handle, readable: true, writable: true });
  socket.once('close', () => {
    coreHandle.close();
    coreSocket.emit('close', false);
  });
  if (err) {
    closeHandle(handle);
    process.nextTick(() => socket.destroy(errnoException(err, 'open')));
  }
  return socket;
}

function adoptServer(coreHandle) {
  const fd = fdOf(coreHandle);
  const handle = new binding.Server(binding.guessHandleType(fd) === 'PIPE' ? binding.PIPE : binding.TCP);
  const err = handle.open(fd, true);
  coreHandle.close();
  const server = new Server();
  if (err) {
    closeHandle(handle);
    process.nextTick(() => server.emit('error', errnoException(err, 'open')));
    return server;
  }
  return server.listen(handle);
}

function install(target) {
  if (installed.has(target) || typeof target.send !== 'function' || !Object.hasOwn(target, 'send')) return;
  installed.add(target);
  wrapSend(target);
  wrapEmit(target);
}

// spawn's stdio array: core takes an object with a numeric `fd`, or a core handle. A fastnet Socket or Server
// becomes { fd }: the child inherits the same descriptor either way. As core does with a socket it passes,
// the parent's socket stops reading (the child reads it now).
function stdioForCore(stdio) {
  const passed = [];
  const mapped = stdio.map((entry) => {
    if (!isFastnet(entry) || !entry._handle) return entry;
    const fd = fdOf(entry._handle);
    if (fd < 0) return entry;
    if (isSocket(entry)) passed.push(entry);
    return { fd };
  });
  return { mapped, passed };
}

function pauseForChild(socket) {
  if (!socket._handle) return;
  socket._handle.reading = false;
  socket._handle.readStop();
  socket.pause();
  socket.readableFlowing = false;
  socket._readableState.reading = false;
}

const spawn = ChildProcess.prototype.spawn;
ChildProcess.prototype.spawn = function(options) {
  let passed = [];
  if (options && Array.isArray(options.stdio) && options.stdio.some(isFastnet)) {
    const conv = stdioForCore(options.stdio);
    options.stdio = conv.mapped;  // core replaces options.stdio itself; the caller's array is left as it was
    passed = conv.passed;
  }
  const ret = Reflect.apply(spawn, this, arguments);
  if (this.pid !== undefined) passed.forEach(pauseForChild);
  install(this);  // a channel was set up when stdio had 'ipc' (fork, cluster)
  return ret;
};
install(process);  // this process's own channel to its parent, if any

module.exports = { coreOwnerSymbol };

'use strict';
// fastnet sockets and servers moved to other threads: postMessage(value, [socket]) on a Worker, a MessagePort or
// parentPort, as Node 24+ core allows for its own net objects (on every Node fastnet supports here: worker
// threads share the process's descriptor table).
//
// Core's mechanism (JSTransferable: internal symbols and a private marker that V8's serializer consults) is not
// reachable from outside core, so, once per thread (each thread loads its own copy of this module):
//
//  - sending: MessagePort.prototype.postMessage is wrapped (Worker#postMessage looks up its port's postMessage on
//    every call, so it goes through the wrapper too). When the transfer list holds fastnet Sockets or Servers,
//    each one is checked with core's guards (ERR_WORKER_HANDLE_NOT_TRANSFERABLE, thrown before anything changed);
//    its descriptor is duplicated; the message is copied with each one replaced by a marker, plain data (see
//    below), and the marker's lifeline port takes its place in the transfer list. Only once core's postMessage
//    took the message is the source detached, as core does: a Socket loses its handle and is destroyed, a Server
//    loses its handle (it does not close or emit anything). If core throws, the duplicates are closed and the
//    sources are left as they were.
//  - receiving: a message reaches JS through one function per port, EventTarget's hybrid dispatch, called as
//    this[Symbol.for('nodejs.internal.kHybridDispatch')](data, type, undefined) by the per-context emitMessage
//    on every port: port.on('message'), addEventListener('message'), onmessage, events.once, and worker.on
//    ('message') (a Worker re-emits what its port received) all are its listeners. MessagePort.prototype gets an
//    own method under that symbol that revives the markers in `data` into fastnet objects, then calls the one it
//    shadows. The symbol is a registry symbol (Symbol.for) because the per-context scripts, which cannot require
//    internal modules, must name it: that makes it stable across Node 20-26 (checked) and the most robust hook
//    there is; emitMessage also sets Symbol.for('nodejs.internal.kCurrentlyReceivingPorts') to the message's
//    transferred ports around the call, which tells, for free, that a message transferred no port (so it holds
//    no marker: nothing to walk), and lets the lifeline ports be removed from what event.ports shows. If a
//    future Node named the symbol otherwise, it is looked for by description on MessagePort's prototype chain.
//    receiveMessageOnPort() does not dispatch: worker_threads' export is wrapped (and ESM's view synced).
//    new Worker(file, { workerData, transferList }) sends through the worker's port too; the worker reads
//    workerData without a dispatch: its markers are revived when fastnet loads there.
//    structuredClone(value, { transfer }) is wrapped the same way, within the thread.
//
// The marker: { fastnetTransfer: 'net.Socket' | 'net.Server', fd, ...options, claim, lifeline }. `fd` is a
// duplicate that belongs to the message; `claim` an Int32Array over a SharedArrayBuffer (0 pending, 1 taken by
// the receiver, 2 given up by the sender); `lifeline` one end of a MessageChannel whose other end stays with the
// sender (unref'd). The receiver takes the descriptor with Atomics.compareExchange(claim, 0, 0, 1) === 0 and
// closes the lifeline. If the message is dropped instead (the receiving port closed, or its worker ended, before
// delivery; a closed port posted to), the lifeline goes with it, the sender's end sees 'close', and the sender
// closes the descriptor if its own compareExchange(claim, 0, 0, 2) wins: never both, never one in use. (If the
// sending thread ends first and the message is then dropped, that descriptor stays open until the process ends.)
//
// A thread that never loaded fastnet receives the marker as it is (core would deliver a net.Socket). It can
// adopt it with core's net:
//     if (Atomics.compareExchange(m.claim, 0, 0, 1) === 0) {
//       const socket = new net.Socket({ fd: m.fd, allowHalfOpen: m.allowHalfOpen, readable: true, writable: true });
//       m.lifeline.close();
//     }
// (a server: new net.Server(...).listen({ fd: m.fd })). If it does not, the sender closes the descriptor once the
// lifeline port is closed: when that thread ends, or the port is garbage-collected.
//
// Where the objects may be in the message: anywhere inside plain objects, arrays, Maps and Sets (what the copy
// walks); hidden in another kind of object (a class instance), the send throws a DataCloneError and changes
// nothing. One listed but not in the message at all is detached and its descriptor closed: core transfers it to
// nowhere.
const { MessagePort, MessageChannel } = require('worker_threads');
const workerThreads = require('worker_threads');
const fs = require('fs');
const { binding, kOwner, closeHandle } = require('./native');
const { nodeError, errnoException } = require('./errors');
const { Socket, isSocket } = require('./socket');
const { Server, isServer } = require('./server');

const ERR_WORKER_HANDLE_NOT_TRANSFERABLE = (what) => nodeError(Error, 'ERR_WORKER_HANDLE_NOT_TRANSFERABLE',
  `${what} cannot be transferred in its current state; it must be a freshly created or accepted handle that ` +
  'has not started reading and has no pending writes');

const PENDING = 0;
const CLAIMED = 1;
const DROPPED = 2;

function dataCloneError(message) {
  return new DOMException(message, 'DataCloneError');
}

// Core's guards (lib/net.js of Node 24: assertTransferableSocket / assertTransferableServer), on our handles.
function assertTransferable(x) {
  if (isSocket(x)) {
    const handle = x._handle;
    if (!(handle instanceof binding.Socket) || handle.isPipe() || x.destroyed || x.connecting ||
        x.bytesRead > 0 || x.bytesWritten > 0 || x.readableLength > 0 || x.writableLength > 0 ||
        x.readableEncoding != null) {
      throw ERR_WORKER_HANDLE_NOT_TRANSFERABLE('net.Socket');
    }
  } else if (!(x._handle instanceof binding.Server) || x._handle.isPipe()) {
    // (a server listening through cluster's primary has a core handle or none: not ours to move)
    throw ERR_WORKER_HANDLE_NOT_TRANSFERABLE('net.Server');
  }
}

// What the receiving side needs besides the descriptor: the options core's kTransfer sends along.
function optionsOf(x) {
  if (isSocket(x)) return { fastnetTransfer: 'net.Socket', allowHalfOpen: x.allowHalfOpen };
  return {
    fastnetTransfer: 'net.Server',
    allowHalfOpen: x.allowHalfOpen,
    pauseOnConnect: x.pauseOnConnect,
    noDelay: x.noDelay,
    keepAlive: x.keepAlive,
    keepAliveInitialDelay: x.keepAliveInitialDelay * 1000,
    highWaterMark: x.highWaterMark,
  };
}

// One marker per listed object: its descriptor duplicated, its lifeline made. Throws (after undoing) if a
// duplicate cannot be made.
function makeMarkers(objects) {
  const made = new Map();
  try {
    for (const x of objects) {
      const fd = binding.dup(x._handle.fd);
      if (fd < 0) throw errnoException(fd, 'dup');
      const { port1, port2 } = new MessageChannel();
      const claim = new Int32Array(new SharedArrayBuffer(4));
      made.set(x, { marker: { ...optionsOf(x), fd, claim, lifeline: port2 }, keeper: port1 });
    }
  } catch (err) {
    discardMarkers(made);
    throw err;
  }
  return made;
}

// The message was not sent: its descriptors and ports go.
function discardMarkers(made) {
  for (const { marker, keeper } of made.values()) {
    Atomics.store(marker.claim, 0, DROPPED);
    fs.closeSync(marker.fd);
    keeper.close();
    marker.lifeline.close();
  }
}

// The message was sent: the sender's end of each lifeline waits (without keeping the loop alive) for the
// receiver to take the descriptor, or for the message to be dropped.
function watchLifeline({ marker, keeper }) {
  const { fd, claim } = marker;
  keeper.once('close', () => {
    if (Atomics.compareExchange(claim, 0, PENDING, DROPPED) === PENDING) fs.closeSync(fd);
  });
  keeper.unref();
}

const isPlain = (v) => {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

// A copy of `value` with the listed objects replaced by their markers, through what the structured clone would
// copy as containers: arrays, plain objects, Maps and Sets (shared references and cycles kept). Other objects
// are passed on as they are. `found` collects the listed objects met.
function replaceIn(value, made, memo, found) {
  if (typeof value !== 'object' || value === null) return value;
  const entry = made.get(value);
  if (entry !== undefined) {
    found.add(value);
    return entry.marker;
  }
  if (memo.has(value)) return memo.get(value);
  let out;
  if (Array.isArray(value)) {
    out = new Array(value.length);
    memo.set(value, out);
    for (const key of Object.keys(value)) out[key] = replaceIn(value[key], made, memo, found);
  } else if (value instanceof Map) {
    out = new Map();
    memo.set(value, out);
    for (const [k, v] of value) out.set(replaceIn(k, made, memo, found), replaceIn(v, made, memo, found));
  } else if (value instanceof Set) {
    out = new Set();
    memo.set(value, out);
    for (const v of value) out.add(replaceIn(v, made, memo, found));
  } else if (isPlain(value)) {
    out = {};
    memo.set(value, out);
    for (const key of Object.keys(value)) out[key] = replaceIn(value[key], made, memo, found);
  } else {
    return value;
  }
  return out;
}

// Whether `target` is reachable from `value` through any object's own enumerable properties (the clone would
// meet it there, in an object the copy does not walk).
function reaches(value, target, seen = new Set()) {
  if (typeof value !== 'object' || value === null || seen.has(value)) return false;
  if (value === target) return true;
  seen.add(value);
  if (ArrayBuffer.isView(value) || value instanceof MessagePort) return false;
  if (value instanceof Map) {
    for (const [k, v] of value) if (reaches(k, target, seen) || reaches(v, target, seen)) return true;
    return false;
  }
  if (value instanceof Set) {
    for (const v of value) if (reaches(v, target, seen)) return true;
    return false;
  }
  for (const key of Object.keys(value)) if (reaches(value[key], target, seen)) return true;
  return false;
}

// What core does to what it transferred.
function detach(x) {
  const native = x._handle;
  native[kOwner] = undefined;
  x._handle = null;
  if (isSocket(x)) {
    native.reading = false;
    native.readStop();
    closeHandle(native);  // the duplicate keeps the connection: no FIN goes out
    x.destroy();
  } else {
    closeHandle(native);  // the duplicate keeps the listening socket and its accept queue
  }
}

// postMessage(value[, transferList | { transfer }]) and structuredClone(value[, { transfer }]): the transfer list
// and the fastnet objects in it, or null if none is listed (then nothing is done at all). A list that is another
// kind of iterable is left to core (iterating it here could consume it): a fastnet object in it is refused there.
function listedObjects(transfer) {
  let list;
  if (Array.isArray(transfer)) list = transfer;
  else if (transfer !== null && typeof transfer === 'object' && Array.isArray(transfer.transfer)) {
    list = transfer.transfer;
  }
  else return null;
  let objects = null;
  for (const x of list) {
    if (isSocket(x) || isServer(x)) {
      objects ??= [];
      if (objects.includes(x)) {
        throw dataCloneError(`Transfer list contains duplicate ${isSocket(x) ? 'Socket' : 'Server'}`);
      }
      objects.push(x);
    }
  }
  return objects && { list, objects };
}

// Calls send(message, transfer) with the listed objects replaced by their markers (in a copy of `value`) and by
// their lifelines in the transfer list (kept in its form: an array or { transfer }), then detaches them. If
// anything throws before send returned, nothing has changed.
function sendWithMarkers({ list, objects }, value, transfer, send) {
  for (const x of objects) assertTransferable(x);
  const made = makeMarkers(objects);
  const found = new Set();
  let ret;
  try {
    const message = replaceIn(value, made, new Map(), found);
    for (const x of objects) {
      if (!found.has(x) && reaches(value, x)) {
        throw dataCloneError(`fastnet: a ${isSocket(x) ? 'net.Socket' : 'net.Server'} in transferList ` +
          'can be sent inside plain objects, arrays, Maps and Sets only');
      }
    }
    const newList = [];
    for (const x of list) {
      const entry = made.get(x);
      if (entry === undefined) newList.push(x);
      else if (found.has(x)) newList.push(entry.marker.lifeline);
    }
    ret = send(message, Array.isArray(transfer) ? newList : { ...transfer, transfer: newList });
  } catch (err) {
    discardMarkers(made);
    throw err;
  }
  for (const [x, entry] of made) {
    if (found.has(x)) {
      watchLifeline(entry);
    } else {
      discardMarkers(new Map([[x, entry]]));  // listed, not in the message: transferred to nowhere
    }
    detach(x);
  }
  return ret;
}

const postMessage = MessagePort.prototype.postMessage;
function postMessageWithFastnet(value, transfer, ...rest) {
  const listed = arguments.length > 1 ? listedObjects(transfer) : null;
  if (listed === null) return Reflect.apply(postMessage, this, arguments);
  return sendWithMarkers(listed, value, transfer, (message, newTransfer) =>
    Reflect.apply(postMessage, this, [message, newTransfer, ...rest]));
}
Object.defineProperty(postMessageWithFastnet, 'name', { value: 'postMessage' });
Object.defineProperty(postMessageWithFastnet, 'length', { value: postMessage.length });

// Receiving side.

function isMarker(v) {
  return typeof v.fastnetTransfer === 'string' && Number.isInteger(v.fd) &&
    v.claim instanceof Int32Array && v.claim.buffer instanceof SharedArrayBuffer &&
    v.lifeline instanceof MessagePort;
}

function adoptSocket(m, fd) {
  let err = binding.UV_EINVAL;
  const handle = binding.guessHandleType(fd) === 'TCP' ? new binding.Socket(binding.TCP) : null;
  if (handle) err = handle.open(fd);
  if (err) {
    if (handle) closeHandle(handle);
    fs.closeSync(fd);
    const socket = new Socket();
    process.nextTick(() => socket.destroy(errnoException(err, 'open')));
    return socket;
  }
  // As core's: not reading until asked (core's deserialized socket gets its handle after construction).
  return new Socket({
    handle, allowHalfOpen: Boolean(m.allowHalfOpen), readable: true, writable: true, manualStart: true,
  });
}

function adoptServer(m, fd) {
  const server = new Server({
    allowHalfOpen: Boolean(m.allowHalfOpen),
    pauseOnConnect: Boolean(m.pauseOnConnect),
    noDelay: Boolean(m.noDelay),
    keepAlive: Boolean(m.keepAlive),
    keepAliveInitialDelay: m.keepAliveInitialDelay,
    highWaterMark: m.highWaterMark,
  });
  let err = binding.UV_EINVAL;
  const handle = binding.guessHandleType(fd) === 'TCP' ? new binding.Server(binding.TCP) : null;
  if (handle) err = handle.open(fd);
  if (err) {
    if (handle) closeHandle(handle);
    fs.closeSync(fd);
    process.nextTick(() => server.emit('error', errnoException(err, 'open')));
    return server;
  }
  return server.listen(handle);  // listening again on this thread's loop; 'listening' comes on the next tick
}

// The marker's object, its descriptor taken (or, if the sender already gave it up, which only a message that
// was dropped and delivered both could cause, an object without one).
function revive(m) {
  const mine = Atomics.compareExchange(m.claim, 0, PENDING, CLAIMED) === PENDING;
  m.lifeline.close();
  const server = m.fastnetTransfer === 'net.Server';
  if (!mine) return server ? new Server() : new Socket().destroy();
  return server ? adoptServer(m, m.fd) : adoptSocket(m, m.fd);
}

// Replace, in place, the markers inside a received value (a fresh structured clone, so only plain objects,
// arrays, Maps and Sets hold them), adding their lifelines to `lifelines`. Returns the value, or the revived
// object if the value is a marker (the same object wherever the marker appears again).
function reviveIn(value, lifelines, seen = new Map()) {
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return seen.get(value);
  if (isMarkerObject(value)) {
    lifelines.add(value.lifeline);
    const revived = revive(value);
    seen.set(value, revived);
    return revived;
  }
  seen.set(value, value);
  if (value instanceof Map) {
    const entries = [...value];
    const rebuild = entries.some(([k, v]) => isMarkerObject(k) || isMarkerObject(v));
    if (rebuild) value.clear();  // a marker as a key: the entries go back in their order
    for (const [k, v] of entries) {
      const rk = reviveIn(k, lifelines, seen);
      const rv = reviveIn(v, lifelines, seen);
      if (rebuild) value.set(rk, rv);
    }
  } else if (value instanceof Set) {
    const items = [...value];
    const rebuild = items.some(isMarkerObject);
    if (rebuild) value.clear();
    for (const v of items) {
      const r = reviveIn(v, lifelines, seen);
      if (rebuild) value.add(r);
    }
  } else if (Array.isArray(value) || isPlain(value)) {
    for (const key of Object.keys(value)) {
      const v = value[key];
      const r = reviveIn(v, lifelines, seen);
      if (r !== v) value[key] = r;
    }
  }
  return value;
}

function isMarkerObject(v) {
  return typeof v === 'object' && v !== null && isPlain(v) && isMarker(v);
}

function findDispatchSymbol() {
  const registered = Symbol.for('nodejs.internal.kHybridDispatch');
  if (typeof MessagePort.prototype[registered] === 'function') return registered;
  for (let proto = MessagePort.prototype; proto !== null; proto = Object.getPrototypeOf(proto)) {
    const sym = Object.getOwnPropertySymbols(proto).find((s) => s.description === 'nodejs.internal.kHybridDispatch');
    if (sym !== undefined && typeof proto[sym] === 'function') return sym;
  }
  return null;
}

const kReceivingPorts = Symbol.for('nodejs.internal.kCurrentlyReceivingPorts');

function installReceive() {
  const kDispatch = findDispatchSymbol();
  if (kDispatch === null) return;
  const dispatch = MessagePort.prototype[kDispatch];
  Object.defineProperty(MessagePort.prototype, kDispatch, {
    value: function hybridDispatchWithFastnet(nodeValue, type, event, ...rest) {
      if (type === 'message' && event === undefined) {
        const ports = this[kReceivingPorts];
        // An array (possibly empty) when emitMessage delivers; undefined if this Node does not say (walk anyway).
        if (ports === undefined || (Array.isArray(ports) && ports.length > 0)) {
          const lifelines = new Set();
          nodeValue = reviveIn(nodeValue, lifelines);
          if (lifelines.size > 0 && Array.isArray(ports)) {
            this[kReceivingPorts] = ports.filter((p) => !lifelines.has(p));
          }
        }
      }
      return Reflect.apply(dispatch, this, [nodeValue, type, event, ...rest]);
    },
    writable: true,
    configurable: true,
    enumerable: false,
  });
}

function installReceiveMessageOnPort() {
  const receive = workerThreads.receiveMessageOnPort;
  if (typeof receive !== 'function') return;
  workerThreads.receiveMessageOnPort = function receiveMessageOnPort(port) {
    const result = Reflect.apply(receive, this, arguments);
    if (result !== undefined) result.message = reviveIn(result.message, new Set());
    return result;
  };
}

// structuredClone(value, { transfer }) moves them within this thread, as core's does on Node 24+.
function installStructuredClone() {
  const clone = globalThis.structuredClone;
  if (typeof clone !== 'function') return;
  globalThis.structuredClone = function structuredClone(value, options) {
    const listed = arguments.length > 1 ? listedObjects(options) : null;
    if (listed === null) return Reflect.apply(clone, this, arguments);
    return sendWithMarkers(listed, value, options, (message, newOptions) =>
      reviveIn(Reflect.apply(clone, this, [message, newOptions]), new Set()));
  };
  Object.defineProperty(globalThis.structuredClone, 'length', { value: clone.length });
}

// new Worker(file, { workerData, transferList }): core's constructor posts workerData through its port (so the
// sending side is the wrapper above), and the worker reads it without any dispatch: its markers are revived when
// fastnet loads in the worker (in place; if workerData itself is one, the export is replaced).
function reviveWorkerData() {
  const data = workerThreads.workerData;
  if (workerThreads.isMainThread || typeof data !== 'object' || data === null) return;
  const revived = reviveIn(data, new Set());
  if (revived !== data) workerThreads.workerData = revived;
}

MessagePort.prototype.postMessage = postMessageWithFastnet;
installReceive();
installStructuredClone();
installReceiveMessageOnPort();
reviveWorkerData();
// ESM's named exports of worker_threads follow the CommonJS ones changed above.
const { syncBuiltinESMExports } = require('module');
if (typeof syncBuiltinESMExports === 'function') syncBuiltinESMExports();

module.exports = { ERR_WORKER_HANDLE_NOT_TRANSFERABLE };

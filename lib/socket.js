'use strict';
// net.Socket: a stream.Duplex over a native Socket handle (TCP or Unix socket).
// Node's globals Buffer and process are accessors, a getter call at each use (Buffer: at every write).
const { Buffer } = require('buffer');
const process = require('process');
const stream = require('stream');
const EventEmitter = require('events');
const coreNet = require('net');
const { binding, kOwner, kId, closeHandle } = require('./native');
const errors = require('./errors');
const versions = require('./versions');
const sockopt = require('./sockopt');
const bound = require('./bound');
const duplexState = require('./duplex-state');
const { channels } = require('./diagnostics');
const {
  ERR_INVALID_ARG_VALUE, ERR_INVALID_FD_TYPE, ERR_INVALID_HANDLE_TYPE, ERR_SOCKET_CLOSED,
  ERR_SOCKET_CLOSED_BEFORE_CONNECTION, ERR_MISSING_ARGS, AbortError,
  errnoException, validateNumber, validateFunction, validateAbortSignal, validateString,
} = errors;

const { UV_EOF, UV_ENOTCONN } = binding;
// What a socket does per message is binding.writeBuffer/writeString/writev/setIdleTimeout(handle[kId], ...), not
// a method of the handle: a method reads the id from `this`, which costs more than taking it as an argument.
const TIMEOUT_MAX = 2 ** 31 - 1;

const kWriteCallback = Symbol('kWriteCallback');
const kShutdownCallback = Symbol('kShutdownCallback');
const kTimeoutMs = Symbol('kTimeoutMs');
const kTimeoutFallback = Symbol('kTimeoutFallback');
const kSetNoDelay = Symbol('kSetNoDelay');
const { kSetKeepAlive, kSetKeepAliveInitialDelay } = sockopt;
const kBytesRead = Symbol('kBytesRead');
const kBytesWritten = Symbol('kBytesWritten');
const kBuffer = Symbol('kBuffer');
const kBufferGen = Symbol('kBufferGen');
const kBufferCb = Symbol('kBufferCb');
const normalizedArgs = Symbol('normalizedArgs');
const kWrappedUnconnected = Symbol('kWrappedUnconnected');

// Native string encodings: everything else goes through Buffer.from in JS.
const nativeEncodings = { __proto__: null, utf8: 0, 'utf-8': 0, latin1: 1, binary: 1, ascii: 1, ucs2: 2, 'ucs-2': 2, utf16le: 2, 'utf-16le': 2 };

function createHandle(fd) {
  const type = binding.guessHandleType(fd);
  if (type === 'PIPE') return new binding.Socket(binding.PIPE);
  if (type === 'TCP') return new binding.Socket(binding.TCP);
  throw ERR_INVALID_FD_TYPE(type);
}

function toNumber(x) { return (x = Number(x)) >= 0 ? x : false; }
function isPipeName(s) { return typeof s === 'string' && toNumber(s) === false; }

// ([port][, host][, cb]) | (path[, cb]) | (options[, cb]) -> [options, cb]
function normalizeArgs(args) {
  let arr;
  if (args.length === 0) {
    arr = [{}, null];
    arr[normalizedArgs] = true;
    return arr;
  }
  const arg0 = args[0];
  let options = {};
  if (typeof arg0 === 'object' && arg0 !== null) {
    options = arg0;
  } else if (isPipeName(arg0)) {
    options.path = arg0;
  } else {
    options.port = arg0;
    if (args.length > 1 && typeof args[1] === 'string') options.host = args[1];
  }
  const cb = args[args.length - 1];
  arr = typeof cb === 'function' ? [options, cb] : [options, null];
  arr[normalizedArgs] = true;
  return arr;
}

// A shallow copy of an options object, to change without changing the caller's. Not `{ ...options }`: in
// Node 20's V8 an object made by spreading, once given a property, gets a map of its own, so every object
// it reaches (the stream states made from it, the socket itself) meets a new map each time and the code
// that reads them misses its inline caches: 4.6 us per Socket constructed, against 0.1 us on Node 22 and
// later. Object.assign's copy shares its map. An own `__proto__` key would be a prototype to Object.assign
// (it sets it), not the own property spreading makes, so such an object is still spread.
function copyOptions(options) {
  if (options === undefined || options === null) return {};
  if (Object.prototype.hasOwnProperty.call(options, '__proto__')) return { ...options };
  return Object.assign({}, options);
}

// Passed by our server with the options it made for one accepted socket: the constructor may change them as
// they are, without the copy it makes of a caller's (one Object.assign less per connection).
const kOwnOptions = Symbol('kOwnOptions');

function Socket(options, ownOptions = undefined) {   // (a default: Socket.length stays 1, as core's)
  if (!isSocket(this)) return new Socket(options);
  if (options?.objectMode) {
    throw ERR_INVALID_ARG_VALUE('options.objectMode', options.objectMode, 'is not supported');
  } else if (options?.readableObjectMode || options?.writableObjectMode) {
    const name = options.readableObjectMode ? 'readableObjectMode' : 'writableObjectMode';
    throw ERR_INVALID_ARG_VALUE(`options.${name}`, options[name], 'is not supported');
  }
  if (typeof options?.keepAliveInitialDelay !== 'undefined') {
    validateNumber(options.keepAliveInitialDelay, 'options.keepAliveInitialDelay');
    if (options.keepAliveInitialDelay < 0) options.keepAliveInitialDelay = 0;
  }

  this.connecting = false;
  this[kWriteCallback] = null;

  if (typeof options === 'number') options = { fd: options };
  else if (ownOptions !== kOwnOptions) options = copyOptions(options);
  options.allowHalfOpen = Boolean(options.allowHalfOpen);
  options.emitClose = false;   // 'close' comes after the handle closed, with hadError
  options.autoDestroy = true;
  options.decodeStrings = false;  // strings are encoded natively
  duplexState.initDuplex(this, options);   // stream.Duplex.call(this, options), the Writable half made when used

  this._handle = null;
  let boundNotConnected = false;   // an adopted BoundSocket: no reading before connect() completes
  if (options.handle) {
    boundNotConnected = bound.isBoundSocket(options.handle);
    this._handle = boundNotConnected ? bound.adoptForSocket(this, options.handle) : options.handle;
  } else if (options.fd !== undefined) {
    const { fd } = options;
    errors.validateInt32(fd, 'fd', 0);
    this._handle = createHandle(fd);
    const err = this._handle.open(fd);
    if (err) {
      closeHandle(this._handle);
      this._handle = null;
      throw errnoException(err, 'open');
    }
  }

  const onread = options.onread;
  if (onread !== null && typeof onread === 'object' &&
      (ArrayBuffer.isView(onread.buffer) || typeof onread.buffer === 'function') &&
      typeof onread.callback === 'function') {
    if (typeof onread.buffer === 'function') {
      this[kBuffer] = true;
      this[kBufferGen] = onread.buffer;
    } else {
      this[kBuffer] = onread.buffer;
    }
    this[kBufferCb] = onread.callback;
  }

  if (options.noDelay) this[kSetNoDelay] = true;
  sockopt.initSocketOptions(this, options);   // keepAlive, keepAliveInitialDelay, typeOfService

  this.on('end', onReadableStreamEnd);
  initSocketHandle(this);
  this._pendingData = null;
  this._pendingEncoding = '';
  this.server = null;   // own on every socket, as core's: accepted and connected sockets then share one shape
  this._server = null;

  if (this._handle && options.readable !== false && !boundNotConnected) {
    if (options.pauseOnCreate) {
      this._handle.reading = false;
      this._handle.readStop();
      this.readableFlowing = false;
    } else if (!options.manualStart) {
      this.read(0);
    }
  }
  if (options.signal) addClientAbortSignalOption(this, options);

  if (options.blockList) this.blockList = errors.validateBlockList(options.blockList, 'options.blockList');
}
Object.setPrototypeOf(Socket.prototype, stream.Duplex.prototype);
Object.setPrototypeOf(Socket, stream.Duplex);
duplexState.defineLazyWritableState(Socket.prototype);

// Defaults most sockets never change live on the prototype: an idle socket carries only what it set (memory
// per connection). Reads see the same values core's own properties have; a write makes the property own.
Object.assign(Socket.prototype, {
  _hadError: false, _parent: null, _host: null, _sockname: null,
  [kShutdownCallback]: null, [kTimeoutMs]: 0, [kTimeoutFallback]: null, [kBuffer]: null, [kBufferCb]: null,
  [kBufferGen]: null, [kWrappedUnconnected]: false, [kBytesRead]: 0, [kBytesWritten]: 0, [kSetNoDelay]: false,
  [kSetKeepAlive]: false, [kSetKeepAliveInitialDelay]: 0,
});

function initSocketHandle(socket) {
  duplexState.undestroy(socket);
  if (socket._sockname !== null) socket._sockname = null;
  const handle = socket._handle;
  if (handle) {
    handle[kOwner] = socket;
    handle.reading = false;
    if (socket[kTimeoutMs]) binding.setIdleTimeout(handle[kId], socket[kTimeoutMs]);
    if (socket[kBuffer]) {
      const buf = socket[kBufferGen] ? socket[kBufferGen]() : socket[kBuffer];
      socket[kBuffer] = buf;
      handle.setOnreadBuffer(buf);
    }
  }
}

function addClientAbortSignalOption(socket, options) {
  validateAbortSignal(options.signal, 'options.signal');
  const { signal } = options;
  function onAbort() {
    signal.removeEventListener('abort', onAbort);
    socket._aborted = true;
    socket.destroy(AbortError(undefined, { cause: signal.reason }));
  }
  if (signal.aborted) process.nextTick(onAbort);
  else process.nextTick(() => signal.addEventListener('abort', onAbort, { once: true }));
}

// Called when 'end' is emitted: without allowHalfOpen, our side is done writing too.
function onReadableStreamEnd() {
  if (!this.allowHalfOpen) this.write = writeAfterFIN;
}

// Core's tls (and http2) take a core net.Socket's native handle, so that socket's own JS side sees neither data
// nor EOF, and the TLSSocket alone decides on half-close and waits for 'connect'. Any other stream, a fastnet
// socket included, goes through core's JSStreamSocket: it hands our data on from a 'data' listener
// (handle.readBuffer), passes EOF on, ends us once TLS has written its last record, and destroys us on close.
// Its listener is named `ondata` (Node 20 to 26): only a listener of that name has its source read. (A
// cache of every listener seen cost a WeakMap entry per socket, each having its own closures: 4% of
// connection churn on Node 24; and core's own listener is a new closure per wrapped socket, so a cache never
// hits for it.)
function isWrapperListener(fn) {
  return fn.name === 'ondata' && /\.readBuffer\(/.test(Function.prototype.toString.call(fn));
}

// (Read from the listener table, not through listeners(), which copies it: this runs on every destroy.)
function isWrappedByCore(socket) {
  const data = socket._events?.data;
  if (typeof data === 'function') return isWrapperListener(data.listener ?? data);
  return Array.isArray(data) && data.some((fn) => isWrapperListener(fn.listener ?? fn));
}

function writeAfterFIN(chunk, encoding, cb) {
  if (!this.writableEnded) return stream.Duplex.prototype.write.call(this, chunk, encoding, cb);
  if (typeof encoding === 'function') cb = encoding;
  const er = new Error('This socket has been ended by the other party');
  er.code = 'EPIPE';
  if (typeof cb === 'function') process.nextTick(cb, er);
  this.destroy(er);
  return false;
}

Socket.prototype._unrefTimer = function _unrefTimer() {
  if (this[kTimeoutFallback]) this[kTimeoutFallback].refresh();
};

// Node 22+ waits only for a connect in progress: end() on a socket that never connected calls back at once.
const endCallbackWithoutConnect = versions.has('endCallbackWithoutConnect');   // asked once, not per socket

Socket.prototype._final = function(cb) {
  const waitForConnect = endCallbackWithoutConnect ? this.connecting : this.pending;
  if (waitForConnect) return this.once('connect', () => this._final(cb));
  if (!this._handle) return cb();
  const err = this._handle.shutdown();
  if (err === UV_ENOTCONN) return cb();
  if (err !== 0) return cb(errnoException(err, 'shutdown'));
  this[kShutdownCallback] = cb;
};

function clearFallbackTimer(socket) {
  if (socket[kTimeoutFallback]) {
    clearTimeout(socket[kTimeoutFallback]);
    socket[kTimeoutFallback] = null;
  }
}

Socket.prototype.setTimeout = function setTimeout(msecs, callback) {
  if (this.destroyed) return this;
  this.timeout = msecs;
  validateNumber(msecs, 'msecs');
  if (msecs < 0 || !Number.isFinite(msecs)) throw errors.ERR_OUT_OF_RANGE('msecs', 'a non-negative finite number', msecs);
  if (msecs > TIMEOUT_MAX) {
    process.emitWarning(`${msecs} does not fit into a 32-bit signed integer.` +
                        `\nTimer duration was truncated to ${TIMEOUT_MAX}.`, 'TimeoutOverflowWarning');
    msecs = TIMEOUT_MAX;
  }
  clearFallbackTimer(this);
  this[kTimeoutMs] = msecs;
  if (this._handle) {
    // Clearing leaves the native timer as it is: if it fires, ontimeout finds the timeout gone and stops it.
    // http clears the timeout and sets it again on every keep-alive request; this spares one call of the two.
    if (msecs !== 0) binding.setIdleTimeout(this._handle[kId], msecs);
  } else if (msecs !== 0) {
    // no handle yet: a plain unref'd timer until one exists
    this[kTimeoutFallback] = global.setTimeout(() => { this[kTimeoutFallback] = null; this._onTimeout(); }, msecs);
    this[kTimeoutFallback].unref();
  }
  if (callback !== undefined) {
    validateFunction(callback, 'callback');
    if (msecs === 0) this.removeListener('timeout', callback);
    else this.once('timeout', callback);
  }
  return this;
};

Socket.prototype._onTimeout = function() {
  this.emit('timeout');
};

Socket.prototype.setNoDelay = function(enable) {
  enable = Boolean(enable === undefined ? true : enable);
  if (!this._handle) {
    this[kSetNoDelay] = enable;
    return this;
  }
  if (this._handle.setNoDelay && enable !== this[kSetNoDelay]) {
    this[kSetNoDelay] = enable;
    this._handle.setNoDelay(enable);
  }
  return this;
};

Socket.prototype.setKeepAlive = sockopt.setKeepAlive;          // also interval and count, as Node 24
Socket.prototype.setTypeOfService = sockopt.setTypeOfService;
Socket.prototype.getTypeOfService = sockopt.getTypeOfService;

Socket.prototype.address = function() {
  return this._getsockname();
};

Object.defineProperty(Socket.prototype, '_connecting', {
  get() { return this.connecting; },
  configurable: true,
});

Object.defineProperty(Socket.prototype, 'pending', {
  get() { return !this._handle || this.connecting; },
  configurable: true,
});

Object.defineProperty(Socket.prototype, 'readyState', {
  get() {
    if (this.connecting) return 'opening';
    if (this.readable && this.writable) return 'open';
    if (this.readable && !this.writable) return 'readOnly';
    if (!this.readable && this.writable) return 'writeOnly';
    return 'closed';
  },
  configurable: true,
});

Object.defineProperty(Socket.prototype, 'bufferSize', {
  get() { return this._handle ? this.writableLength : undefined; },
  configurable: true,
});

Socket.prototype._read = function(n) {
  if (this.connecting || !this._handle) {
    this.once('connect', () => this._read(n));
  } else if (!this._handle.reading) {
    tryReadStart(this);
  }
};

function tryReadStart(socket) {
  socket._handle.reading = true;
  const err = socket._handle.readStart();
  if (err) socket.destroy(errnoException(err, 'read'));
}

Socket.prototype.end = function(data, encoding, callback) {
  sendHeldWrites(this, true);
  stream.Duplex.prototype.end.call(this, data, encoding, callback);
  return this;
};

Socket.prototype.resetAndDestroy = function() {
  if (this._handle) {
    if (this._handle.isPipe()) throw ERR_INVALID_HANDLE_TYPE();
    if (this.connecting) this.once('connect', () => this._reset());
    else this._reset();
  } else {
    this.destroy(ERR_SOCKET_CLOSED());
  }
  return this;
};

Socket.prototype._reset = function() {
  this.resetAndClosing = true;
  return this.destroy();
};

Socket.prototype.pause = function() {
  if (this[kBuffer] && !this.connecting && this._handle && this._handle.reading) {
    if (this.destroyed) this._handle.reading = false;
    else stopReading(this, this._handle);
  }
  return stream.Duplex.prototype.pause.call(this);
};

Socket.prototype.resume = function() {
  if (this[kBuffer] && !this.connecting && this._handle && !this._handle.reading) tryReadStart(this);
  return stream.Duplex.prototype.resume.call(this);
};

Socket.prototype.read = function(n) {
  if (this[kBuffer] && !this.connecting && this._handle && !this._handle.reading) tryReadStart(this);
  return stream.Duplex.prototype.read.call(this, n);
};

// Writes made in one go each reach the kernel as they are made in core. Here the second of a tick is held until
// the loop polls and the Writable buffers the rest behind it, which matters when end() or destroy() comes in the
// same tick. So the held write goes now:
// - refused (EPIPE), it fails as core's write would have at once, before the end() or destroy() (so end() finds
//   the stream errored, as in core), and the Writable keeps its buffer;
// - taken whole before an end(), it completes when the loop polls, as it would have;
// - taken whole before a destroy(), it completes now, and the Writable hands its buffer over chunk by chunk (no
//   _writev), each written at once while the kernel takes it whole, as core's would have been: the first that
//   must wait stays in flight, the rest stay buffered, and the destroy treats them as core's.
// A completion here counts as made inside the write (sync) and comes before the buffer is handed over (corked),
// so the callbacks run on the next tick, in order, as core's.
function sendHeldWrites(socket, ending) {
  const handle = socket._handle;
  // (only ours: `net.Socket.prototype.destroy.call(coreSocket)` is how Node's tests destroy http2's core socket)
  if (typeof socket[kWriteCallback] !== 'function' || !(handle instanceof binding.Socket) || socket.destroyed) return;
  const status = handle.sendDeferred(ending);  // 1: sent whole (destroy only), 0: nothing to do here, < 0: refused
  if (status === 0) return;
  const state = socket._writableState;
  const sync = state.sync;
  if (status < 0) {
    state.sync = true;
    onwrite.call(handle, status);
    state.sync = sync;
    return;
  }
  socket.cork();
  state.sync = true;
  onwrite.call(handle, 0);
  state.sync = sync;
  socket._writev = null;
  socket.uncork();
  delete socket._writev;
}

Socket.prototype.destroy = function destroy(err, cb) {
  sendHeldWrites(this, false);
  return stream.Duplex.prototype.destroy.call(this, err, cb);
};

Socket.prototype.destroySoon = function() {
  if (this.writable) this.end();
  if (this.writableFinished) this.destroy();
  else this.once('finish', this.destroy);
};

Socket.prototype._destroy = function(exception, cb) {
  clearFallbackTimer(this);
  this.connecting = false;
  const handle = this._handle;
  if (handle) {
    const isException = !!exception;
    const reset = this.resetAndClosing === true;
    if (reset) this.resetAndClosing = false;   // (as core: no own property on a socket never reset)
    closedCounts[0] = -1;
    // Wrapped, core's TLSSocket closes after us, an immediate after destroying us: the fd is closed at once, so
    // say so in an immediate queued before that one (after the error's tick), as core's socket does under TLS
    // when TLS took its handle (not when wrapped before connect(), like ours).
    if (!this[kWrappedUnconnected] && isWrappedByCore(this)) {
      closeHandle(handle, null, reset, closedCounts);
      setImmediate(() => this.emit('close', isException));
    } else {
      closeHandle(handle, () => this.emit('close', isException), reset, closedCounts);
    }
    // Our handle's close() left its byte counts there (two calls fewer per socket); a handle that is not ours
    // still answers until its close completes.
    const counted = closedCounts[0] >= 0;
    this[kBytesRead] = counted ? closedCounts[0] : handle.bytesRead;
    this[kBytesWritten] = counted ? closedCounts[1] : handle.bytesWritten;
    this._handle = null;
    if (this._sockname !== null) this._sockname = null;
    cb(exception);
  } else {
    cb(exception);
    process.nextTick(emitCloseWithoutHandle, this);   // as core: no hadError argument when there was no handle
  }
  if (this._server) {
    this._server._connections--;
    if (this._server._emitCloseIfDrained) this._server._emitCloseIfDrained();
  }
};

// Where a closing handle leaves bytesRead and bytesWritten (see _destroy).
const closedCounts = new Float64Array(2);

function emitCloseWithoutHandle(socket) {
  socket.emit('close');
}

// A Unix socket has no address or port to report (core's Pipe has no getpeername/getsockname); nor has a handle
// an app put in _handle itself without them (core checks for the method).
function hasAddresses(handle) {
  return typeof handle.getsockname === 'function' && !(typeof handle.isPipe === 'function' && handle.isPipe());
}

Socket.prototype._getpeername = function() {
  if (!this._handle || !hasAddresses(this._handle) || this.connecting) return this._peername || {};
  if (!this._peername) {
    const out = {};
    const err = this._handle.getpeername(out);
    if (err) return out;
    this._peername = out;
  }
  return this._peername;
};

Socket.prototype._getsockname = function() {
  const boundPath = bound.boundPathOf(this);   // a client bound to a source path reports it (kept after close)
  if (boundPath !== undefined) return { address: boundPath };
  if (!this._handle || !hasAddresses(this._handle)) return {};
  if (!this._sockname) {
    const out = {};
    const err = this._handle.getsockname(out);
    if (err) return out;
    this._sockname = out;
  }
  return this._sockname;
};

function getter(name, fn) {
  Object.defineProperty(Socket.prototype, name, { get: fn, configurable: true, enumerable: true });
}

getter('bytesRead', function() { return this._handle ? this._handle.bytesRead : this[kBytesRead]; });
getter('remoteAddress', function() { return this._getpeername().address; });
getter('remoteFamily', function() { return this._getpeername().family; });
getter('remotePort', function() { return this._getpeername().port; });
getter('localAddress', function() { return this._getsockname().address; });
getter('localPort', function() { return this._getsockname().port; });
getter('localFamily', function() { return this._getsockname().family; });
getter('_bytesDispatched', function() { return this._handle ? this._handle.bytesWritten : this[kBytesWritten]; });
getter('bytesWritten', function() {
  let bytes = this._bytesDispatched;
  const data = this._pendingData;
  const encoding = this._pendingEncoding;
  const writableBuffer = this.writableBuffer;
  if (!writableBuffer) return undefined;
  const size = (chunk, enc) => (chunk instanceof Buffer ? chunk.length : Buffer.byteLength(chunk, enc));
  for (const el of writableBuffer) bytes += size(el.chunk, el.encoding);
  if (Array.isArray(data)) {
    for (const el of data) bytes += size(el.chunk, el.encoding);
  } else if (data) {
    bytes += typeof data !== 'string' ? data.length : Buffer.byteLength(data, encoding);
  }
  return bytes;
});

Socket.prototype._writeGeneric = function(writev, data, encoding, cb) {
  // Wrapped before connect() was called: core's TLSSocket holds its first record until 'connect'; so do we.
  if (!this._handle && !this[kWrappedUnconnected]) this[kWrappedUnconnected] = isWrappedByCore(this);
  if (this.connecting || (!this._handle && this[kWrappedUnconnected])) {
    this._pendingData = data;
    this._pendingEncoding = encoding;
    const onClose = () => cb(ERR_SOCKET_CLOSED_BEFORE_CONNECTION());
    this.once('connect', function connect() {
      this.off('close', onClose);
      this._writeGeneric(writev, data, encoding, cb);
    });
    this.once('close', onClose);
    return;
  }
  this._pendingData = null;
  this._pendingEncoding = '';
  const handle = this._handle;
  if (!handle) {
    cb(ERR_SOCKET_CLOSED());
    return false;
  }
  let result;
  if (sentAlreadyBy === this) {
    result = sentAlready;
    sentAlreadyBy = null;
  } else if (writev) {
    result = writevChunks(handle, data);
  } else if (typeof data === 'string') {
    if (encoding === 'buffer') throw stringAsBufferError();
    const native = nativeEncodings[encoding];
    result = native !== undefined ? writeString(handle, data, native, stringCountedIfFailed(data, native)) :
      binding.writeBuffer(handle[kId], Buffer.from(data, encoding));
  } else {
    result = binding.writeBuffer(handle[kId], data);
  }
  if (result === 0) cb();                        // all sent now
  else if (result === 1) this[kWriteCallback] = cb;  // onwrite follows
  else cb(errnoException(result, 'write'));
};

// Many small chunks (what the Writable buffered while a write was in flight, or corked ones such as http's
// head and body) cost least as one string or one buffer: the native side then makes one call, where reading
// each element of an array through N-API, or a Buffer.from per string, costs more than the copy.
const JOIN_MAX = 64 * 1024;
const joinScratch = Buffer.allocUnsafeSlow(JOIN_MAX);

// The UTF-8 of a long string's characters below 256 is made natively from their Latin-1 copy, several times
// faster than V8's UTF-8 writer, which goes character by character. Finding where they end costs nothing on
// V8's one-byte strings (the regexp cannot match one, and V8 knows it); a two-byte string is scanned up to
// its first character above 255, and what precedes it (Latin-1 too) is not encoded by V8 a second time.
const LATIN1_AS_UTF8 = 3;
const LATIN1_MIN = 1024;
const NOT_LATIN1 = /[^\x00-\xff]/g;
function writeString(handle, string, native, countedIfFailed) {
  const flag = countedIfFailed ? COUNT_FAILED : 0;
  if (native !== 0 || string.length < LATIN1_MIN) return binding.writeString(handle[kId], string, native | flag);
  NOT_LATIN1.lastIndex = 0;
  if (!NOT_LATIN1.test(string)) return binding.writeString(handle[kId], string, LATIN1_AS_UTF8 | flag);
  const latin1 = NOT_LATIN1.lastIndex - 1;
  if (latin1 < LATIN1_MIN) return binding.writeString(handle[kId], string, native | flag);
  return binding.writeString(handle[kId], string, LATIN1_AS_UTF8 | flag, latin1, string.slice(latin1));
}

// Whether bytesWritten keeps a single string write's bytes when the write fails at once. Core tries a string
// whose size it bounds at 16 KiB or less (3 bytes a unit in UTF-8, 2 in UCS-2, 1 in Latin-1) straight from its
// stack, counting only what the kernel took; bigger ones, Buffers and writev count all they were given.
const COUNT_FAILED = 16;
function stringCountedIfFailed(string, native) {
  return string.length * (native === 1 ? 1 : native === 2 ? 2 : 3) > 16384;
}

// write('x', 'buffer'): a string said to be a Buffer. Core's native write throws this (code, message, no more).
function stringAsBufferError() {
  const err = new TypeError('Second argument must be a buffer');
  err.code = 'ERR_INVALID_ARG_TYPE';
  return err;
}

function writevChunks(handle, data) {
  const { chunk: first, encoding } = data[0];
  const native = nativeEncodings[encoding];
  if (typeof first === 'string' && native !== undefined) {
    let joined = first;
    let i = 1;
    for (; i < data.length && joined.length <= JOIN_MAX; i++) {
      if (typeof data[i].chunk !== 'string' || data[i].encoding !== encoding) break;
      joined += data[i].chunk;
    }
    if (i === data.length && joined.length <= JOIN_MAX) return writeString(handle, joined, native, true);
  }
  // Into one scratch buffer, lent to the native write: it copies what the kernel does not take at once.
  let at = 0;
  for (let i = 0; i < data.length; i++) {
    const chunk = data[i].chunk;
    if (typeof chunk === 'string') {
      if (at + chunk.length * 3 > JOIN_MAX) return writevMixed(handle, data);  // may not fit (UTF-8: 3 bytes a unit)
      at += joinScratch.write(chunk, at, data[i].encoding);
    } else {
      if (at + chunk.length > JOIN_MAX) return writevMixed(handle, data);
      joinScratch.set(chunk, at);
      at += chunk.length;
    }
  }
  return binding.writeBuffer(handle[kId], joinScratch, at);
}

function writevMixed(handle, data) {
  const buffers = new Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const { chunk, encoding } = data[i];
    buffers[i] = typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk;
  }
  return binding.writev(handle[kId], buffers);
}

// A write with no callback to an idle Writable goes to the handle first. When the kernel takes it whole at once,
// the Writable, which would only have counted it in and out again, is not asked (see writableIdle). Otherwise
// (in flight, held or failed) the Writable does all it does for a write, and its _write takes the result of the
// native write already made (sentAlready) instead of making one.
Socket.prototype.write = function write(chunk, encoding, cb) {
  const duplexWrite = stream.Duplex.prototype.write;
  const handle = this._handle;
  if (cb !== undefined || encoding != null || handle === null || this.connecting || this._pendingData !== null ||
      duplexWrite !== writableWrite || this._write !== Socket.prototype._write ||
      this._writeGeneric !== Socket.prototype._writeGeneric || !duplexState.writableIdle(this._writableState)) {
    return duplexWrite.call(this, chunk, encoding, cb);
  }
  let result;
  if (chunk instanceof Buffer) {
    result = binding.writeBuffer(handle[kId], chunk);
  } else if (typeof chunk === 'string' && this._writableState.defaultEncoding === 'utf8') {
    result = writeString(handle, chunk, 0, stringCountedIfFailed(chunk, 0));
  } else {
    return duplexWrite.call(this, chunk, encoding, cb);
  }
  if (result === 0) return true;
  sentAlready = result;
  sentAlreadyBy = this;
  try {
    return duplexWrite.call(this, chunk, encoding, cb);
  } finally {
    sentAlreadyBy = null;
  }
};
const writableWrite = stream.Duplex.prototype.write;
let sentAlready = 0;
let sentAlreadyBy = null;

Socket.prototype._writev = function(chunks, cb) {
  this._writeGeneric(true, chunks, '', cb);
};

Socket.prototype._write = function(data, encoding, cb) {
  this._writeGeneric(false, data, encoding, cb);
};

Socket.prototype.ref = function() {
  if (!this._handle) {
    this.once('connect', this.ref);
    return this;
  }
  this._handle.ref();
  return this;
};

Socket.prototype.unref = function() {
  if (!this._handle) {
    this.once('connect', this.unref);
    return this;
  }
  this._handle.unref();
  return this;
};

Socket.prototype.connect = function(...args) {
  let normalized;
  if (Array.isArray(args[0]) && args[0][normalizedArgs]) normalized = args[0];
  else normalized = normalizeArgs(args);
  const options = normalized[0];
  const cb = normalized[1];
  if (versions.clientSocketPublishedByConnect && channels.clientSocket.hasSubscribers) {
    channels.clientSocket.publish({ socket: this });
  }
  if (options.port === undefined && options.path == null) throw ERR_MISSING_ARGS(['options', 'port', 'path']);
  if (this.write !== Socket.prototype.write) this.write = Socket.prototype.write;
  if (this.destroyed) {
    this._handle = null;
    this._peername = null;
    if (this._sockname !== null) this._sockname = null;
    this._undestroy();
  }
  const { path } = options;
  // An adopted BoundSocket fixes the transport while its handle lasts; after that, as any socket: the options.
  const pipe = bound.isBoundSource(this) && this._handle ? this._handle.isPipe() : !!path;
  if (!this._handle) {
    this._handle = new binding.Socket(pipe ? binding.PIPE : binding.TCP);
    initSocketHandle(this);
  }
  if (cb !== null) this.once('connect', cb);
  this._unrefTimer();
  this.connecting = true;
  if (pipe) {
    validateString(path, 'options.path');
    connect.internalConnect(this, path);
  } else {
    connect.lookupAndConnect(this, options);
  }
  return this;
};

// Native callbacks (`this` is the native handle).

// A Buffer viewing part of an ArrayBuffer, made as core makes its own (a Uint8Array whose prototype is Buffer's).
class SlabBuffer extends Uint8Array {}
Object.setPrototypeOf(SlabBuffer.prototype, Buffer.prototype);
SlabBuffer.prototype.constructor = Buffer;

// nread > 0: `buffer` holds what was read; or `buffer` is an ArrayBuffer (the env's slab that small reads
// share, or the block a big read landed in) and the read is its `nread` bytes from `offset`; or there is no
// `buffer`: the read landed in the socket's own onread buffer. Returns true when nothing holds a big read's
// chunk any more (see soleDestination): its block then takes the next read.
function onread(nread, buffer, offset) {
  const socket = this[kOwner];
  if (socket === undefined || socket.destroyed) return;
  if (nread > 0) {
    if (buffer === undefined) return onUserBufferRead(socket, this, nread);
    if (offset !== undefined) buffer = new SlabBuffer(buffer, offset, nread);
    const dest = offset === 0 ? soleDestination(socket) : undefined;
    if (emitDataAtOnce(socket, buffer)) return dest !== undefined && dest._writableState.length === 0;
    if (!socket.push(buffer)) stopReading(socket, this);
    return;
  }
  this.reading = false;
  if (nread !== UV_EOF) {
    socket.destroy(errnoException(nread, 'read'));
    return;
  }
  if (!socket._readableState.endEmitted) {
    // Wrapped: ending our writable side now would cut off what TLS still has to send (core's would not).
    if (!socket.allowHalfOpen && isWrappedByCore(socket)) socket.allowHalfOpen = true;
    socket.push(null);
    socket.read(0);
  }
}

// A flowing socket with nothing buffered and a 'data' listener: push() would emit 'data' at once and then
// schedule a tick to read more, which a native handle that keeps reading by itself does not need. Do what
// push() does to the stream's state, and emit. Anything else (paused, buffered, decoding, ended) goes
// through push().
function emitDataAtOnce(socket, buffer) {
  const state = socket._readableState;
  if (state.flowing !== true || state.length !== 0 || state.sync || state.ended || state.decoder ||
      state.errored || socket.listenerCount('data') === 0) {
    return false;
  }
  state.reading = false;
  const waiting = state.awaitDrainWriters;
  if (waiting !== null && waiting !== undefined) {
    if (waiting instanceof Set) waiting.clear();
    else state.awaitDrainWriters = null;
  }
  state.dataEmitted = true;
  socket.emit('data', buffer);
  return true;
}

// pipe()'s 'data' listener -> the socket it writes to (one of ours).
const pipeDestinations = new WeakMap();
let pipeListenerSource;  // the code of the 'data' listener Readable's pipe() adds (it only writes the chunk to dest)

Socket.prototype.pipe = function pipe(dest, options) {
  const before = this.listenerCount('data');
  const result = stream.Duplex.prototype.pipe.call(this, dest, options);
  const listeners = this.rawListeners('data');
  if (isSocket(dest) && listeners.length === before + 1 &&
      String(listeners[before]) === (pipeListenerSource ??= readablePipeListenerSource())) {
    pipeDestinations.set(listeners[before], dest);
  }
  return result;
};

function readablePipeListenerSource() {
  const source = new stream.PassThrough();
  source.pipe(new stream.PassThrough());
  return String(source.rawListeners('data')[0]);
}

// The socket a read goes to when pipe()'s listener is the only one (and the event is emitted as usual) and
// writes it to one of our sockets with our own write: that write either hands the chunk to the kernel at once
// (it is in a read callback), holding nothing, or leaves it counted in the Writable's length (buffered, in
// flight or pending a connect). So when that length is 0 after the 'data' event, nothing holds the chunk and
// its memory can take the next read.
function soleDestination(socket) {
  const listener = socket._events.data;
  if (typeof listener !== 'function' || socket.emit !== EventEmitter.prototype.emit) return undefined;
  const dest = pipeDestinations.get(listener);
  if (dest === undefined || dest.write !== Socket.prototype.write || dest._write !== Socket.prototype._write ||
      dest._writev !== Socket.prototype._writev || dest._writeGeneric !== Socket.prototype._writeGeneric) {
    return undefined;
  }
  return dest;
}

function onUserBufferRead(socket, handle, nread) {
  const ret = socket[kBufferCb](nread, socket[kBuffer]);
  if (socket[kBufferGen] && !socket.destroyed && socket._handle === handle) {
    socket[kBuffer] = socket[kBufferGen]();
    handle.setOnreadBuffer(socket[kBuffer]);
  }
  if (ret === false && handle.reading && !socket.destroyed) stopReading(socket, handle);
}

// Stops native reading (nobody wants more for now); a failure destroys the socket.
function stopReading(socket, handle) {
  handle.reading = false;
  const err = handle.readStop();
  if (err) socket.destroy(errnoException(err, 'read'));
}

// A write cut short by destroy() completes with ECANCELED: Node 22+ passes that on, Node 20 reported success.
const writesCanceledOnDestroy = versions.has('writesCanceledOnDestroy');

function onwrite(status) {
  const socket = this[kOwner];
  if (socket === undefined) return;
  const cb = socket[kWriteCallback];
  socket[kWriteCallback] = null;
  if (cb === null) return;
  if (status === 0 || (socket.destroyed && !writesCanceledOnDestroy)) cb();
  else cb(errnoException(status, 'write'));
}

function onshutdown() {
  const socket = this[kOwner];
  if (socket === undefined) return;
  const cb = socket[kShutdownCallback];
  socket[kShutdownCallback] = null;
  if (cb) cb();
}

function ontimeout() {
  const socket = this[kOwner];
  if (socket === undefined || socket.destroyed) return;
  if (socket[kTimeoutMs] === 0) binding.setIdleTimeout(this[kId], 0);   // cleared since it was set (see setTimeout)
  else socket._onTimeout();
}

// An app that swapped net for fastnet still gets core's sockets from core's modules (http's, http2's, tls's
// TLSSocket): in core every one is a net.Socket, so `socket instanceof net.Socket` holds for them here too, as
// apps and Node's own http tests expect. A subclass of ours keeps the ordinary check; fastnet's own code asks
// isSocket(), which is true of ours only.
const ordinaryHasInstance = Function.prototype[Symbol.hasInstance];
function isSocket(value) {
  return ordinaryHasInstance.call(Socket, value);
}
Object.defineProperty(Socket, Symbol.hasInstance, {
  value: function(value) {
    return ordinaryHasInstance.call(this, value) || (this === Socket && value instanceof coreNet.Socket);
  },
});

module.exports = {
  Socket, isSocket, ordinaryHasInstance, copyOptions, normalizeArgs, isPipeName, toNumber, initSocketHandle,
  kSetNoDelay, kSetKeepAlive, kSetKeepAliveInitialDelay, kOwnOptions,
  onread, onwrite, onshutdown, ontimeout, stopReading,
};
// connect.js needs Socket's internals; required last to keep the cycle one-way at load time.
const connect = require('./connect');

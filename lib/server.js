'use strict';
// net.Server: an EventEmitter over a native Server handle (TCP or Unix socket).
const process = require('process');  // the global is an accessor: a getter call at each use
const EventEmitter = require('events');
const { binding, kOwner, closeHandle } = require('./native');
const {
  ERR_INVALID_ARG_TYPE, ERR_INVALID_ARG_VALUE, ERR_SERVER_ALREADY_LISTEN, ERR_SERVER_NOT_RUNNING,
  errnoException, exceptionWithHostPort, uvExceptionWithHostPort, validateNumber, validatePort, validateAbortSignal,
  validateBlockList,
} = require('./errors');
const versions = require('./versions');
const {
  Socket, ordinaryHasInstance, copyOptions, normalizeArgs, isPipeName, toNumber, kSetNoDelay, kSetKeepAlive,
  kSetKeepAliveInitialDelay, kOwnOptions,
} = require('./socket');
const { getDefaultHighWaterMark } = require('stream');
const coreNet = require('net');
const { isIP, isIPv6 } = coreNet;   // core's: pure functions
const { channels } = require('./diagnostics');
const { isBoundSocket, adoptForServer } = require('./bound');

function Server(options, connectionListener) {
  if (!isServer(this)) return new Server(options, connectionListener);
  EventEmitter.call(this);
  if (typeof options === 'function') {
    connectionListener = options;
    options = {};
    this.on('connection', connectionListener);
  } else if (options == null || typeof options === 'object') {
    options = copyOptions(options);
    if (typeof connectionListener === 'function') this.on('connection', connectionListener);
  } else {
    throw ERR_INVALID_ARG_TYPE('options', 'Object', options);
  }
  if (typeof options.keepAliveInitialDelay !== 'undefined') {
    validateNumber(options.keepAliveInitialDelay, 'options.keepAliveInitialDelay');
    if (options.keepAliveInitialDelay < 0) options.keepAliveInitialDelay = 0;
  }
  if (typeof options.highWaterMark !== 'undefined') validateNumber(options.highWaterMark, 'options.highWaterMark');

  this._connections = 0;
  this._handle = null;
  this._usingWorkers = false;
  this._workers = [];
  this._unref = false;
  this._listeningId = 1;
  this.allowHalfOpen = options.allowHalfOpen || false;
  this.pauseOnConnect = !!options.pauseOnConnect;
  this.noDelay = Boolean(options.noDelay);
  this.keepAlive = Boolean(options.keepAlive);
  this.keepAliveInitialDelay = ~~(options.keepAliveInitialDelay / 1000);
  this.highWaterMark = options.highWaterMark ?? getDefaultHighWaterMark(false);
  if (options.blockList) this.blockList = validateBlockList(options.blockList, 'options.blockList');
}
Object.setPrototypeOf(Server.prototype, EventEmitter.prototype);
Object.setPrototypeOf(Server, EventEmitter);

// Returns a bound native handle, or a negative uv error.
function createServerHandle(address, port, addressType, fd, flags) {
  let err = 0;
  let handle;
  let isTCP = false;
  if (typeof fd === 'number' && fd >= 0) {
    const type = binding.guessHandleType(fd);
    if (type !== 'TCP' && type !== 'PIPE') return binding.UV_EINVAL;
    handle = new binding.Server(type === 'PIPE' ? binding.PIPE : binding.TCP);
    err = handle.open(fd);
    if (err) {
      closeHandle(handle);
      return err;
    }
  } else if (port === -1 && addressType === -1) {
    handle = new binding.Server(binding.PIPE);
  } else {
    handle = new binding.Server(binding.TCP);
    isTCP = true;
  }
  if (address || port || isTCP) {
    if (!address) {
      // Try binding to IPv6 first, fall back to IPv4
      err = handle.bind('::', port, true, (flags & 1) !== 0, (flags & 2) !== 0);
      if (err) {
        closeHandle(handle);
        return createServerHandle('0.0.0.0', port, 4, undefined, flags & 2);  // reusePort still holds
      }
    } else if (port === -1 && addressType === -1) {
      err = versions.pipePathError(address, binding.UV_EINVAL) || handle.bind(address);
    } else {
      err = handle.bind(address, port, addressType === 6, (flags & 1) !== 0, (flags & 2) !== 0);
    }
  }
  if (err) {
    closeHandle(handle);
    return err;
  }
  return handle;
}

function setupListenHandle(address, port, addressType, backlog, fd, flags) {
  if (!this._handle) {
    let rval = null;
    if (!address && typeof fd !== 'number') {
      rval = createServerHandle('::', port, 6, fd, flags);
      if (typeof rval === 'number') {
        rval = null;
        address = '0.0.0.0';
        addressType = 4;
      } else {
        address = '::';
        addressType = 6;
      }
    }
    if (rval === null) rval = createServerHandle(address, port, addressType, fd, flags);
    if (typeof rval === 'number') {
      const error = uvExceptionWithHostPort(rval, 'listen', address, port);
      if (channels.serverListen.hasSubscribers) channels.serverListen.error.publish({ server: this, error });
      process.nextTick(emitErrorNT, this, error);
      return;
    }
    this._handle = rval;
  }
  this._handle[kOwner] = this;
  this._handle.onconnection = onconnection;
  const err = this._handle.listen(backlog || 511);
  if (err) {
    const ex = uvExceptionWithHostPort(err, 'listen', address, port);
    if (channels.serverListen.hasSubscribers) channels.serverListen.error.publish({ server: this, error: ex });
    closeHandle(this._handle);
    this._handle = null;
    process.nextTick(emitErrorNT, this, ex);
    return;
  }
  this._connectionKey = addressType + ':' + address + ':' + port;
  if (channels.serverListen.hasSubscribers) channels.serverListen.asyncEnd.publish({ server: this });
  if (this._unref) this.unref();
  process.nextTick(emitListeningNT, this);
}
Server.prototype._listen2 = setupListenHandle;

function emitErrorNT(self, err) { self.emit('error', err); }
function emitListeningNT(self) { if (self._handle) self.emit('listening'); }

// In a cluster worker, a non-exclusive listen asks the primary, which owns the listening socket (core's
// handles): connections then arrive as core handles, which onconnection adopts (see adoptCoreHandle).
function listenInCluster(server, address, port, addressType, backlog, fd, exclusive, flags) {
  const cluster = require('cluster');
  if (cluster.isPrimary || exclusive || typeof cluster._getServer !== 'function') {
    server._listen2(address, port, addressType, backlog, fd, flags);
    return;
  }
  const serverQuery = { address, port, addressType, fd, flags, backlog, exclusive };
  const listeningId = server._listeningId;
  cluster._getServer(server, serverQuery, (err, handle) => {
    if (listeningId !== server._listeningId) {
      handle.close();
      return;
    }
    if (err === 0 && port > 0 && handle.getsockname) {
      // a failed bind shows up as a socket bound elsewhere
      const out = {};
      err = handle.getsockname(out);
      if (err === 0 && port !== out.port) err = binding.UV_EADDRINUSE;
    }
    if (err) {
      server.emit('error', exceptionWithHostPort(err, 'bind', address, port));
      return;
    }
    if (server._handle) closeHandle(server._handle);
    server._handle = handle;
    // Cluster finds the server through the handle it gave, by core's owner symbol, as for core's servers:
    // disconnect() closes the server (and waits for its 'close'), and maxConnections hands connections back.
    const owner = require('./ipc').coreOwnerSymbol();
    if (owner) handle[owner] = server;
    server._listen2(address, port, addressType, backlog, fd, flags);
  });
}

// A connection handed over as a core handle (cluster): take its descriptor into a native socket.
function adoptCoreHandle(coreHandle) {
  const type = binding.guessHandleType(coreHandle.fd);
  const handle = new binding.Socket(type === 'PIPE' ? binding.PIPE : binding.TCP);
  const err = handle.open(coreHandle.fd, true);
  coreHandle.close();
  if (err) {
    closeHandle(handle);
    return err;
  }
  return handle;
}

function addServerAbortSignalOption(self, options) {
  if (options?.signal === undefined) return;
  validateAbortSignal(options.signal, 'options.signal');
  const { signal } = options;
  const onAborted = () => self.close();
  if (signal.aborted) {
    process.nextTick(onAborted);
  } else {
    signal.addEventListener('abort', onAborted, { once: true });
    self.once('close', () => signal.removeEventListener('abort', onAborted));
  }
}

// fe80::/10: such an address needs a scope to be listened on; a name that also has another address uses that.
function isIPv6LinkLocal(ip) {
  return isIPv6(ip) && /^fe[89ab][0-9a-f]:/i.test(ip);
}

function lookupAndListen(self, port, address, backlog, exclusive, flags) {
  const listeningId = self._listeningId;
  const allAddresses = versions.has('listenAllAddresses');
  require('dns').lookup(address, { all: allAddresses }, (err, ip, addressType) => {
    if (listeningId !== self._listeningId) return;  // closed meanwhile
    if (err) {
      self.emit('error', err);
      return;
    }
    if (allAddresses) {
      const chosen = ip.find((entry) => !isIPv6LinkLocal(entry.address)) ?? ip[0];
      ip = chosen.address;
      addressType = chosen.family;
    }
    listenInCluster(self, ip, port, ip ? addressType : 4, backlog, undefined, exclusive, flags);
  });
}

Server.prototype.listen = function(...args) {
  const normalized = normalizeArgs(args);
  let options = normalized[0];
  const cb = normalized[1];
  if (this._handle) throw ERR_SERVER_ALREADY_LISTEN();
  if (cb !== null) this.once('listening', cb);
  if (channels.serverListen.hasSubscribers) channels.serverListen.asyncStart.publish({ server: this, options });
  const backlogFromArgs = toNumber(args.length > 1 && args[1]) || toNumber(args.length > 2 && args[2]);
  // (bound[, backlog][, cb]) or ({ handle: bound }): listen on a BoundSocket's descriptor (which it consumes)
  const boundSocket = isBoundSocket(options) ? options : (isBoundSocket(options.handle) ? options.handle : null);
  if (boundSocket !== null) {
    const { handle, path } = adoptForServer(boundSocket);
    this._handle = handle;
    if (path !== undefined) this._pipeName = path;
    this._listeningId++;
    listenInCluster(this, null, -1, -1, backlogFromArgs, undefined, true);
    return this;
  }
  options = options._handle || options.handle || options;
  // as libuv's flags: 1 IPv6 only, 2 SO_REUSEPORT (then each process binds the port itself: exclusive)
  const flags = (options.ipv6Only ? 1 : 0) | (options.reusePort === true ? 2 : 0);
  this._listeningId++;  // a pending lookup or cluster query of an earlier listen() no longer counts

  // (handle[, backlog][, cb]) with one of our own native server handles
  if (options instanceof binding.Server) {
    this._handle = options;
    listenInCluster(this, null, -1, -1, backlogFromArgs, undefined, true);  // exclusive: a worker listens on it itself
    return this;
  }
  addServerAbortSignalOption(this, options);
  // ({ fd }[, backlog][, cb])
  if (typeof options.fd === 'number' && options.fd >= 0) {
    listenInCluster(this, null, null, null, backlogFromArgs, options.fd);
    return this;
  }
  // listen(), listen(cb), listen(null), or { port: undefined | null }: an ephemeral port
  if (args.length === 0 || typeof args[0] === 'function' ||
      (typeof options.port === 'undefined' && 'port' in options) || options.port === null) {
    options.port = 0;
  }
  let backlog;
  if (typeof options.port === 'number' || typeof options.port === 'string') {
    validatePort(options.port, 'options.port');
    backlog = options.backlog || backlogFromArgs;
    const exclusive = options.reusePort === true ? true : options.exclusive;
    if (options.host) lookupAndListen(this, options.port | 0, options.host, backlog, exclusive, flags);
    else listenInCluster(this, null, options.port | 0, 4, backlog, undefined, exclusive, flags);
    return this;
  }
  // (path[, backlog][, cb]) or ({ path })
  if (options.path && isPipeName(options.path)) {
    // an abstract socket ('\0name') has no file to chmod
    if (options.path[0] === '\0' && (options.readableAll || options.writableAll)) {
      throw ERR_INVALID_ARG_VALUE('options', options,
                                  'can not set readableAll or writableAllt to true when path is abstract unix socket');
    }
    const pipeName = this._pipeName = options.path;
    backlog = options.backlog || backlogFromArgs;
    listenInCluster(this, pipeName, -1, -1, backlog, undefined, options.exclusive);
    if (!this._handle) return this;
    let mode = 0;
    if (options.readableAll === true) mode |= binding.UV_READABLE;
    if (options.writableAll === true) mode |= binding.UV_WRITABLE;
    if (mode !== 0) {
      const err = this._handle.chmod(mode);
      if (err) {
        closeHandle(this._handle);
        this._handle = null;
        throw errnoException(err, 'uv_pipe_chmod');
      }
    }
    return this;
  }
  if (!(('port' in options) || ('path' in options))) {
    throw ERR_INVALID_ARG_VALUE('options', options, 'must have the property "port" or "path"');
  }
  throw ERR_INVALID_ARG_VALUE('options', options);
};

Object.defineProperty(Server.prototype, 'listening', {
  get() { return !!(this._handle && this._connectionKey); },
  configurable: true,
  enumerable: true,
});

Server.prototype.address = function() {
  const handle = this._handle;
  if (handle && handle.getsockname && !(handle.isPipe && handle.isPipe())) {
    const out = {};
    const err = handle.getsockname(out);
    if (err) throw errnoException(err, 'address');
    return out;
  } else if (this._pipeName) {
    return this._pipeName;
  }
  return null;
};

// Connections sent to other processes (child_process send) count as long as those processes keep them:
// core's child_process gives the server, per channel, a list it can ask (_setupWorker).
Server.prototype.getConnections = function(cb) {
  let left = this._workers.length;
  let total = this._connections;
  if (!this._usingWorkers || left === 0) {
    process.nextTick(cb, null, total);
    return this;
  }
  const oncount = (err, count) => {
    if (left < 0) return;
    if (err) {
      left = -1;
      return process.nextTick(cb, err);
    }
    total += count;
    if (--left === 0) process.nextTick(cb, null, total);
  };
  for (const worker of this._workers) worker.getConnections(oncount);
  return this;
};

Server.prototype.close = function(cb) {
  this._listeningId++;
  if (typeof cb === 'function') {
    if (!this._handle) this.once('close', function close() { cb(ERR_SERVER_NOT_RUNNING()); });
    else this.once('close', cb);
  }
  if (this._handle) {
    closeHandle(this._handle);
    this._handle = null;
  }
  if (this._usingWorkers && this._workers.length > 0) {
    // 'close' once every process that got connections closed them; counted as one until then, so it comes once
    let left = this._workers.length;
    this._connections++;
    const onWorkerClose = () => {
      if (--left !== 0) return;
      this._connections = 0;
      this._emitCloseIfDrained();
    };
    for (const worker of this._workers) worker.close(onWorkerClose);
  } else {
    this._emitCloseIfDrained();
  }
  return this;
};

Server.prototype[Symbol.asyncDispose] = async function() {
  if (!this._handle) return;
  await new Promise((resolve, reject) => this.close((err) => (err ? reject(err) : resolve())));
};

Server.prototype._emitCloseIfDrained = function() {
  if (this._handle || this._connections) return;
  process.nextTick(emitCloseNT, this);
};

function emitCloseNT(self) { self.emit('close'); }

Server.prototype[EventEmitter.captureRejectionSymbol] = function(err, event, sock) {
  switch (event) {
    case 'connection':
      sock.destroy(err);
      break;
    default:
      this.emit('error', err);
  }
};

// child_process, on the first socket of this server sent over a channel: the list of what went there.
Server.prototype._setupWorker = function(socketList) {
  this._usingWorkers = true;
  this._workers.push(socketList);
  socketList.once('exit', (list) => {
    const at = this._workers.indexOf(list);
    if (at !== -1) this._workers.splice(at, 1);
  });
};

Server.prototype.ref = function() {
  this._unref = false;
  if (this._handle) this._handle.ref();
  return this;
};

Server.prototype.unref = function() {
  this._unref = true;
  if (this._handle) this._handle.unref();
  return this;
};

// Native callback: a connection was accepted (or accept failed) on `this`, a server handle.
// Goes through the handle's own `onconnection` property, as core does (tests and tools wrap it).
function onconnectionNative(status, clientHandle) {
  if (typeof this.onconnection === 'function') this.onconnection(status, clientHandle);
  else if (clientHandle) closeHandle(clientHandle);
}

// Node 21+: a maxConnections of 0 drops every connection; before, 0 (like unset) meant no limit.
const maxConnectionsZeroDrops = versions.has('maxConnectionsZeroDrops');   // asked once, not per connection
function isOverMaxConnections(server) {
  const max = server.maxConnections;
  if (maxConnectionsZeroDrops ? max == null : !max) return false;
  return server._connections >= max;
}

function onconnection(status, clientHandle) {
  const self = this[kOwner];
  if (self === undefined) {
    if (clientHandle) closeHandle(clientHandle);
    return;
  }
  if (status) {
    self.emit('error', errnoException(status, 'accept'));
    return;
  }
  if (!(clientHandle instanceof binding.Socket)) {
    clientHandle = adoptCoreHandle(clientHandle);
    if (typeof clientHandle === 'number') {
      self.emit('error', errnoException(clientHandle, 'accept'));
      return;
    }
  }
  if (isOverMaxConnections(self)) {
    const data = { __proto__: null };
    const local = {};
    const remote = {};
    if (!clientHandle.isPipe()) {
      clientHandle.getsockname(local);
      clientHandle.getpeername(remote);
      data.localAddress = local.address;
      data.localPort = local.port;
      data.localFamily = local.family;
      data.remoteAddress = remote.address;
      data.remotePort = remote.port;
      data.remoteFamily = remote.family;
      self.emit('drop', data);
    } else {
      self.emit('drop');
    }
    closeHandle(clientHandle);
    return;
  }
  // The blockList option: a refused peer is closed before any Socket is made for it, without an event.
  if (self.blockList && !clientHandle.isPipe()) {
    const remote = {};
    clientHandle.getpeername(remote);
    const family = isIP(remote.address);
    if (family && self.blockList.check(remote.address, `ipv${family}`)) {
      closeHandle(clientHandle);
      return;
    }
  }
  const socket = new Socket({
    handle: clientHandle,
    allowHalfOpen: self.allowHalfOpen,
    pauseOnCreate: self.pauseOnConnect,
    readable: true,
    writable: true,
    readableHighWaterMark: self.highWaterMark,
    writableHighWaterMark: self.highWaterMark,
    emitClose: false, autoDestroy: true, decodeStrings: false,   // what the constructor sets: no new properties
  }, kOwnOptions);
  if (self.noDelay) {
    socket[kSetNoDelay] = true;
    clientHandle.setNoDelay(true);
  }
  if (self.keepAlive) {
    socket[kSetKeepAlive] = true;
    socket[kSetKeepAliveInitialDelay] = self.keepAliveInitialDelay;
    clientHandle.setKeepAlive(true, self.keepAliveInitialDelay);
  }
  self._connections++;
  socket.server = self;
  socket._server = self;
  self.emit('connection', socket);
  if (channels.serverSocket.hasSubscribers) channels.serverSocket.publish({ socket });
}

// As Socket's: core's servers (http.Server, https, tls, http2's) are net.Servers in core, so they are here too.
function isServer(value) {
  return ordinaryHasInstance.call(Server, value);
}
Object.defineProperty(Server, Symbol.hasInstance, {
  value: function(value) {
    return ordinaryHasInstance.call(this, value) || (this === Server && value instanceof coreNet.Server);
  },
});

module.exports = { Server, isServer, createServerHandle, onconnection: onconnectionNative };

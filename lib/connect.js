'use strict';
// Connecting a Socket: argument checks, DNS lookup, autoSelectFamily (happy eyeballs), the native connect.
const process = require('process');  // the global is an accessor: a getter call at each use
const coreNet = require('net');
const { isIP } = coreNet;   // core's: a pure function, no handles
const { binding, kOwner, kConnectRequest, closeHandle } = require('./native');
const {
  ERR_INVALID_ARG_TYPE, ERR_INVALID_ARG_VALUE, ERR_INVALID_IP_ADDRESS, ERR_IP_BLOCKED, ERR_INVALID_ADDRESS_FAMILY, ERR_SOCKET_CONNECTION_TIMEOUT,
  exceptionWithHostPort, withCodeInStack,
  validateNumber, validatePort, validateBoolean, validateInt32, validateFunction, validateString,
} = require('./errors');
const socketInternals = require('./socket');
const versions = require('./versions');
const sockopt = require('./sockopt');
const bound = require('./bound');

let dns;

// Defaults: core's at load time, which it took from the command line (--[no-]network-family-autoselection,
// --network-family-autoselection-attempt-timeout) and this Node version's own defaults. From then on, ours.
const defaults = {
  autoSelectFamily: coreNet.getDefaultAutoSelectFamily(),
  autoSelectFamilyAttemptTimeout: coreNet.getDefaultAutoSelectFamilyAttemptTimeout(),
};

function getDefaultAutoSelectFamily() { return defaults.autoSelectFamily; }
function setDefaultAutoSelectFamily(value) {
  validateBoolean(value, 'value');
  defaults.autoSelectFamily = value;
}
function getDefaultAutoSelectFamilyAttemptTimeout() { return defaults.autoSelectFamilyAttemptTimeout; }
function setDefaultAutoSelectFamilyAttemptTimeout(value) {
  validateInt32(value, 'value', 1);
  defaults.autoSelectFamilyAttemptTimeout = value < 10 ? 10 : value;
}

function socketToDnsFamily(family) {
  switch (family) {
    case 'IPv4': return 4;
    case 'IPv6': return 6;
  }
  return family;
}

function lookupAndConnect(self, options) {
  const { localAddress, localPort } = options;
  const host = options.host || 'localhost';
  let { port, autoSelectFamilyAttemptTimeout, autoSelectFamily } = options;

  if (versions.has('connectHostValidated')) {
    validateString(host, 'options.host');
    if (host.includes('\u0000')) throw ERR_INVALID_ARG_VALUE('options.host', host, 'must be a string without null bytes');
  }
  // An adopted BoundSocket already has its local end and its address family.
  const boundSource = bound.isBoundSource(self);
  if (boundSource) {
    if (localAddress !== undefined || localPort !== undefined) {
      throw ERR_INVALID_ARG_VALUE('options', options, 'localAddress and localPort cannot be used with an adopted bound socket');
    }
    autoSelectFamily = false;
  }
  if (localAddress && !isIP(localAddress)) throw ERR_INVALID_IP_ADDRESS(localAddress);
  if (localPort) validateNumber(localPort, 'options.localPort');
  if (typeof port !== 'undefined') {
    if (typeof port !== 'number' && typeof port !== 'string') {
      throw ERR_INVALID_ARG_TYPE('options.port', ['number', 'string'], port);
    }
    validatePort(port);
  }
  port |= 0;

  if (autoSelectFamily != null) validateBoolean(autoSelectFamily, 'options.autoSelectFamily');
  else autoSelectFamily = defaults.autoSelectFamily;
  if (autoSelectFamilyAttemptTimeout != null) {
    validateInt32(autoSelectFamilyAttemptTimeout, 'options.autoSelectFamilyAttemptTimeout', 1);
    if (autoSelectFamilyAttemptTimeout < 10) autoSelectFamilyAttemptTimeout = 10;
  } else {
    autoSelectFamilyAttemptTimeout = defaults.autoSelectFamilyAttemptTimeout;
  }

  // An IP needs no lookup
  const addressType = isIP(host);
  if (addressType) {
    // A BoundSocket's connect(2) goes out now: localAddress/localPort are known once connect() returns (a
    // failure still comes as a later 'error').
    if (boundSource) return internalConnect(self, host, port, addressType, localAddress, localPort);
    process.nextTick(() => {
      if (self.connecting) internalConnect(self, host, port, addressType, localAddress, localPort);
    });
    return;
  }

  if (options.lookup != null) validateFunction(options.lookup, 'options.lookup');
  if (dns === undefined) dns = require('dns');
  const dnsopts = { family: socketToDnsFamily(options.family), hints: options.hints || 0 };
  if (process.platform !== 'win32' && dnsopts.family !== 4 && dnsopts.family !== 6 && dnsopts.hints === 0) {
    dnsopts.hints = dns.ADDRCONFIG;
  }
  const lookup = options.lookup || dns.lookup;

  if (dnsopts.family !== 4 && dnsopts.family !== 6 && !localAddress && autoSelectFamily) {
    dnsopts.all = true;
    lookupAndConnectMultiple(self, lookup, host, options, dnsopts, port, localAddress, localPort,
                             autoSelectFamilyAttemptTimeout);
    return;
  }

  self._host = host;
  lookup(host, dnsopts, function emitLookup(err, ip, addressType) {
    self.emit('lookup', err, ip, addressType, host);
    if (!self.connecting) return;
    if (err) {
      process.nextTick(connectErrorNT, self, err);
    } else if (!isLookedUpAddress(ip)) {
      process.nextTick(connectErrorNT, self, ERR_INVALID_IP_ADDRESS(ip));
    } else if (addressType !== 4 && addressType !== 6) {
      process.nextTick(connectErrorNT, self, ERR_INVALID_ADDRESS_FAMILY(addressType, options.host, options.port));
    } else {
      self._unrefTimer();
      internalConnect(self, ip, port, addressType, localAddress, localPort);
    }
  });
}

function lookupAndConnectMultiple(self, lookup, host, options, dnsopts, port, localAddress, localPort, timeout) {
  lookup(host, dnsopts, function emitLookup(err, addresses) {
    if (!self.connecting) return;
    if (err) {
      self.emit('lookup', err, undefined, undefined, host);
      process.nextTick(connectErrorNT, self, err);
      return;
    }
    // Keep IPv4 and IPv6 addresses, each once; the first valid one's family goes first.
    const valid = [[], []];
    const seen = new Set();
    let first;
    for (const address of addresses) {
      const { address: ip, family } = address;
      self.emit('lookup', err, ip, family, host);
      if (!self.connecting) return;
      if (isLookedUpAddress(ip) && (family === 4 || family === 6)) {
        first ??= family;
        if (!seen.has(ip)) {
          seen.add(ip);
          valid[family === first ? 0 : 1].push(address);
        }
      }
    }
    if (!valid[0].length && !valid[1].length) {
      const { address: firstIp, family } = addresses[0];
      if (!isLookedUpAddress(firstIp)) process.nextTick(connectErrorNT, self, ERR_INVALID_IP_ADDRESS(firstIp));
      else process.nextTick(connectErrorNT, self, ERR_INVALID_ADDRESS_FAMILY(family, options.host, options.port));
      return;
    }
    // Alternate the families
    const toAttempt = [];
    for (let i = 0; i < Math.max(valid[0].length, valid[1].length); i++) {
      if (i in valid[0]) toAttempt.push(valid[0][i]);
      if (i in valid[1]) toAttempt.push(valid[1][i]);
    }
    self._unrefTimer();
    if (toAttempt.length === 1) {
      internalConnect(self, toAttempt[0].address, port, toAttempt[0].family, localAddress, localPort);
      return;
    }
    self.autoSelectFamilyAttemptedAddresses = [];
    const context = { socket: self, addresses: toAttempt, current: 0, port, localPort, timeout, timer: null, errors: [] };
    internalConnectMultiple(context);
  });
}

// What a lookup callback gave as an address. isIP() takes ['127.0.0.1'] too (it stringifies); Node 22+ refuses
// any non-string, where Node 20 passed it on to a connect that threw.
function isLookedUpAddress(ip) {
  if (typeof ip !== 'string' && versions.has('lookupAddressValidated')) return false;
  return isIP(ip) !== 0;
}

// The socket's `blockList` option refuses this address (a Unix socket path has no address type).
function isBlocked(self, address, addressType) {
  return (addressType === 4 || addressType === 6) && self.blockList?.check(address, `ipv${addressType}`) === true;
}

function connectErrorNT(self, err) {
  self.destroy(err);
}

// Binds `handle` to localAddress:localPort before a connect; returns 0 or a uv error.
function bindLocal(handle, localAddress, localPort, addressType) {
  const err = handle.bind(localAddress, localPort | 0, addressType === 6, false);
  if (err || !(localPort > 0)) return err;
  // libuv reports EADDRINUSE only at connect, which then binds a random port: check the port we hold.
  const out = {};
  const sockErr = handle.getsockname(out);
  if (sockErr) return sockErr;
  return out.port === localPort ? 0 : binding.UV_EADDRINUSE;
}

// Starts the native connect described by `request` on `handle`; returns 0 or a uv error (no callback then).
// A TCP socket that will read once connected (readable, not paused: see onconnect) starts reading with the
// connect: libuv then registers the descriptor for both at once, where a read started from the connect callback
// costs two more epoll_ctl calls (an ADD that fails with EEXIST, then a MOD). No read can complete before the
// connect callback has run.
function connectHandle(handle, request, socket) {
  const { address, port, addressType } = request;
  handle[kConnectRequest] = request;
  let err;
  if (addressType === 4 || addressType === 6) {
    const readAtOnce = !socket.isPaused() && socket._readableState.ended !== true && !handle.reading;
    err = handle.connect(address, port, addressType === 6, readAtOnce);
    if (err === 1) {
      handle.reading = true;
      err = 0;
    }
  } else {
    err = versions.pipePathError(address, binding.UV_EINVAL) || handle.connect(address);
  }
  if (err) handle[kConnectRequest] = null;
  return err;
}

// A synchronous connect failure names the local end the socket got, as core does (even `undefined:undefined`).
function syncConnectError(self, err, address, port) {
  const sockname = self._getsockname();
  return exceptionWithHostPort(err, 'connect', address, port, `${sockname.address}:${sockname.port}`);
}

// One address (or a Unix socket path: port and addressType undefined).
function internalConnect(self, address, port, addressType, localAddress, localPort) {
  const handle = self._handle;
  if (localAddress || localPort) {
    localAddress = localAddress || (addressType === 4 ? '0.0.0.0' : '::');
    const err = bindLocal(handle, localAddress, localPort, addressType);
    if (err) {
      self.destroy(exceptionWithHostPort(err, 'bind', localAddress, localPort));
      return;
    }
  }
  self.emit('connectionAttempt', address, port, addressType);
  // A listener destroyed the socket: nothing to connect (core would throw on its null handle).
  if (self._handle !== handle) return;
  if (isBlocked(self, address, addressType)) {
    self.destroy(ERR_IP_BLOCKED(address));
    return;
  }
  const err = connectHandle(handle, { address, port, addressType, localAddress, localPort, attempt: null }, self);
  // No 'connectionAttemptFailed' for a synchronous failure on this path, as in core.
  if (err) self.destroy(syncConnectError(self, err, address, port));
}

// Happy eyeballs: try context.addresses in turn, each for context.timeout ms unless it is the last.
function internalConnectMultiple(context, canceled) {
  clearTimeout(context.timer);
  const self = context.socket;
  if (self._aborted) return;
  if (canceled || context.current === context.addresses.length) {
    if (context.errors.length === 0) {
      self.destroy(ERR_SOCKET_CONNECTION_TIMEOUT());
      return;
    }
    // Core's: `code` of the first error, and that code in the stack's header (`AggregateError [ECONNREFUSED]: `).
    const error = new AggregateError(context.errors);
    error.code = context.errors[0]?.code;
    self.destroy(withCodeInStack(error));
    return;
  }
  const current = context.current++;
  if (current > 0) {
    // A fresh handle per attempt; the abandoned one is closed.
    if (self._handle) closeHandle(self._handle);
    self._handle = new binding.Socket(binding.TCP);
    socketInternals.initSocketHandle(self);
  }
  const handle = self._handle;
  const { port, localPort } = context;
  const { address, family: addressType } = context.addresses[current];
  let localAddress;
  if (localPort) {
    localAddress = addressType === 4 ? '0.0.0.0' : '::';
    const err = bindLocal(handle, localAddress, localPort, addressType);
    if (err) {
      // Recorded without an event, as core does; the next address may bind.
      context.errors.push(exceptionWithHostPort(err, 'bind', localAddress, localPort));
      internalConnectMultiple(context);
      return;
    }
  }
  if (isBlocked(self, address, addressType)) {
    const ex = ERR_IP_BLOCKED(address);
    context.errors.push(ex);
    self.emit('connectionAttemptFailed', address, port, addressType, ex);
    if (self.connecting) internalConnectMultiple(context);
    return;
  }
  self.emit('connectionAttempt', address, port, addressType);
  if (self._handle !== handle) return;   // destroyed by a listener
  self.autoSelectFamilyAttemptedAddresses.push(`${address}:${port}`);
  const request = { address, port, addressType, localAddress, localPort, attempt: { context, current } };
  const err = connectHandle(handle, request, self);
  if (err) {
    const ex = syncConnectError(self, err, address, port);
    context.errors.push(ex);
    self.emit('connectionAttemptFailed', address, port, addressType, ex);
    if (self.connecting) internalConnectMultiple(context);   // unless a listener destroyed the socket
    return;
  }
  if (current < context.addresses.length - 1) {
    context.timer = setTimeout(onAttemptTimeout, context.timeout, context, handle);
  }
}

function onAttemptTimeout(context, handle) {
  const self = context.socket;
  const request = handle[kConnectRequest];
  const { address, port, addressType } = request;
  self.emit('connectionAttemptTimeout', address, port, addressType);
  handle[kConnectRequest] = null;   // its late completion (or ECANCELED) is ignored
  context.errors.push(connectError(binding.UV_ETIMEDOUT, request));
  // A listener that destroyed the socket has closed the handle already (and set what its close does).
  if (self._handle === handle) closeHandle(handle);
  if (self.connecting) internalConnectMultiple(context);
}

// Native callback: the connect request on `this` (a handle) completed.
function onconnect(status) {
  const handle = this;
  const request = handle[kConnectRequest];
  handle[kConnectRequest] = null;
  if (!request) return;
  const { address, port, addressType, attempt } = request;
  if (attempt) {
    const { context, current } = attempt;
    clearTimeout(context.timer);
    if (status === 0 && current !== context.current - 1) {
      closeHandle(handle);
      return;
    }
    if (status !== 0) {
      // Reported even once the socket is destroyed (then with ECANCELED), as core does.
      const ex = connectError(status, request);
      context.errors.push(ex);
      context.socket.emit('connectionAttemptFailed', address, port, addressType, ex);
      if (context.socket.connecting) internalConnectMultiple(context, status === binding.UV_ECANCELED);
      return;
    }
  }
  const self = handle[kOwner];
  if (self.destroyed || self._handle !== handle) return;
  self.connecting = false;
  if (self._sockname !== null) self._sockname = null;
  if (status === 0) {
    self._unrefTimer();
    if (self[socketInternals.kSetNoDelay]) handle.setNoDelay(true);
    sockopt.applyOnConnect(self, handle);   // keep-alive (idle, interval, count) and type of service
    // Reading since connect() (connectHandle)? To JS it starts as in core: now if a read was asked for while
    // connecting (its _read waits for 'connect', and would start it), else after 'connect' unless the socket is
    // paused by then, or when something asks for data during 'connect'; if nothing does, it stops.
    const readingAlready = handle.reading;
    if (readingAlready && !self._readableState.reading) handle.reading = false;
    self.emit('connect');
    self.emit('ready');
    if (!self.isPaused()) {
      if (readingAlready && self._handle === handle) handle.reading = true;
      self.read(0);
    } else if (readingAlready && !handle.reading && self._handle === handle) {
      socketInternals.stopReading(self, handle);
    }
  } else {
    const ex = connectError(status, request);
    self.emit('connectionAttemptFailed', address, port, addressType, ex);
    self.destroy(ex);
  }
}

function connectError(status, request) {
  let details;
  if (request.localAddress && request.localPort) details = request.localAddress + ':' + request.localPort;
  const ex = exceptionWithHostPort(status, 'connect', request.address, request.port, details);
  if (details) {
    ex.localAddress = request.localAddress;
    ex.localPort = request.localPort;
  }
  return ex;
}

module.exports = {
  lookupAndConnect, internalConnect, onconnect,
  getDefaultAutoSelectFamily, setDefaultAutoSelectFamily,
  getDefaultAutoSelectFamilyAttemptTimeout, setDefaultAutoSelectFamilyAttemptTimeout,
};

'use strict';
// Connecting a Socket: argument checks, DNS lookup, autoSelectFamily (happy eyeballs), the native connect.
const { isIP } = require('net');   // core's: a pure function, no handles
const { binding, kOwner, closeHandle } = require('./native');
const {
  ERR_INVALID_ARG_TYPE, ERR_INVALID_IP_ADDRESS, ERR_INVALID_ADDRESS_FAMILY, ERR_SOCKET_CONNECTION_TIMEOUT,
  exceptionWithHostPort, validateNumber, validatePort, validateBoolean, validateInt32, validateFunction,
} = require('./errors');
const socketInternals = require('./socket');

const kConnectRequest = Symbol('kConnectRequest');  // handle -> { address, port, localAddress, localPort, attempt }
let dns;

// Defaults, as core reads them from --[no-]network-family-autoselection[-attempt-timeout=N]
const defaults = { autoSelectFamily: true, autoSelectFamilyAttemptTimeout: 250 };
function readCommandLineDefaults() {
  const args = [...(process.env.NODE_OPTIONS || '').split(/\s+/), ...process.execArgv];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--network-family-autoselection' || arg === '--enable-network-family-autoselection') {
      defaults.autoSelectFamily = true;
    } else if (arg === '--no-network-family-autoselection') {
      defaults.autoSelectFamily = false;
    } else if (arg.startsWith('--network-family-autoselection-attempt-timeout')) {
      const value = Number(arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[++i]);
      if (Number.isInteger(value) && value > 0) defaults.autoSelectFamilyAttemptTimeout = value;
    }
  }
}
readCommandLineDefaults();

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
    } else if (!isIP(ip)) {
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
      if (isIP(ip) && (family === 4 || family === 6)) {
        first ??= family;
        if (!seen.has(ip)) {
          seen.add(ip);
          valid[family === first ? 0 : 1].push(address);
        }
      }
    }
    if (!valid[0].length && !valid[1].length) {
      const { address: firstIp, family } = addresses[0];
      if (!isIP(firstIp)) process.nextTick(connectErrorNT, self, ERR_INVALID_IP_ADDRESS(firstIp));
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

function connectErrorNT(self, err) {
  self.destroy(err);
}

// One connect attempt on the socket's current handle; returns 0 or a uv error (already reported).
function startConnect(self, address, port, addressType, localAddress, localPort, attempt) {
  const handle = self._handle;
  if (localAddress || localPort) {
    if (addressType === 4) localAddress = localAddress || '0.0.0.0';
    else localAddress = localAddress || '::';
    const err = handle.bind(localAddress, localPort | 0, addressType === 6, false);
    if (err) return { err, syscall: 'bind', address: localAddress, port: localPort };
  }
  handle[kConnectRequest] = { address, port, localAddress, localPort, attempt };
  const err = addressType === 4 || addressType === 6 ?
    handle.connect(address, port, addressType === 6) : handle.connect(address);
  if (err) return { err, syscall: 'connect', address, port };
  return null;
}

function failure(self, { err, syscall, address, port }) {
  let details;
  if (syscall === 'connect') {
    const sockname = self._getsockname();
    if (sockname && sockname.address) details = sockname.address + ':' + sockname.port;
  }
  return exceptionWithHostPort(err, syscall, address, port, details);
}

function internalConnect(self, address, port, addressType, localAddress, localPort) {
  const failed = startConnect(self, address, port, addressType, localAddress, localPort, null);
  if (failed) self.destroy(failure(self, failed));
}

function internalConnectMultiple(context, canceled) {
  clearTimeout(context.timer);
  const self = context.socket;
  if (self._aborted) return;
  if (canceled || context.current === context.addresses.length) {
    if (context.errors.length === 0) {
      self.destroy(ERR_SOCKET_CONNECTION_TIMEOUT());
      return;
    }
    const error = new AggregateError(context.errors);
    error.code = context.errors[0]?.code;
    self.destroy(error);
    return;
  }
  const current = context.current++;
  if (current > 0) {
    // A fresh handle per attempt; the abandoned one is closed.
    if (self._handle) closeHandle(self._handle);
    self._handle = new binding.Socket(binding.TCP);
    socketInternals.initSocketHandle(self);
  }
  const { port, localPort } = context;
  const { address, family } = context.addresses[current];
  self.autoSelectFamilyAttemptedAddresses.push(`${address}:${port}`);
  const failed = startConnect(self, address, port, family, undefined, localPort, { context, current });
  if (failed) {
    context.errors.push(failure(self, failed));
    internalConnectMultiple(context);
    return;
  }
  if (current < context.addresses.length - 1) {
    const handle = self._handle;
    context.timer = setTimeout(() => {
      const request = handle[kConnectRequest];
      handle[kConnectRequest] = null;   // its late completion is ignored
      context.errors.push(exceptionWithHostPort(binding.UV_ETIMEDOUT, 'connect', request.address, request.port));
      closeHandle(handle);
      if (self.connecting) internalConnectMultiple(context);
    }, context.timeout);
  }
}

// Native callback: the connect request on `this` (a handle) completed.
function onconnect(status) {
  const handle = this;
  const request = handle[kConnectRequest];
  handle[kConnectRequest] = null;
  if (!request) return;
  const self = handle[kOwner];
  const attempt = request.attempt;
  if (attempt) {
    const { context, current } = attempt;
    clearTimeout(context.timer);
    if (status === 0 && current !== context.current - 1) {
      closeHandle(handle);
      return;
    }
    if (status !== 0) {
      context.errors.push(connectError(status, request));
      if (self.connecting) internalConnectMultiple(context, status === binding.UV_ECANCELED);
      return;
    }
  }
  if (self.destroyed || self._handle !== handle) return;
  self.connecting = false;
  self._sockname = null;
  if (status === 0) {
    self._unrefTimer();
    if (self[socketInternals.kSetNoDelay]) handle.setNoDelay(true);
    if (self[socketInternals.kSetKeepAlive]) handle.setKeepAlive(true, self[socketInternals.kSetKeepAliveInitialDelay]);
    self.emit('connect');
    self.emit('ready');
    if (!self.isPaused()) self.read(0);
  } else {
    self.destroy(connectError(status, request));
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

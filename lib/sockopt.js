'use strict';
// Socket options beyond Nagle, as Node 24's core has them (offered on every Node version):
// setKeepAlive with the probe interval and count, and the type of service (IP_TOS / IPV6_TCLASS).
// What is asked before there is a connected handle is kept on the socket and applied once it connects.
const os = require('os');
const { ERR_INVALID_ARG_TYPE, errnoException, validateInt32 } = require('./errors');

const UV_EBADF = -os.constants.errno.EBADF;

const kSetKeepAlive = Symbol('kSetKeepAlive');
const kSetKeepAliveInitialDelay = Symbol('kSetKeepAliveInitialDelay');
const kSetKeepAliveInterval = Symbol('kSetKeepAliveInterval');
const kSetKeepAliveCount = Symbol('kSetKeepAliveCount');
const kSetTOS = Symbol('kSetTOS');

// The constructor's options: keepAlive, keepAliveInitialDelay (checked earlier, as core does), typeOfService.
function initSocketOptions(socket, options) {
  // the defaults (false, 0, undefined) are on Socket.prototype
  if (options.keepAlive) socket[kSetKeepAlive] = true;
  const initialDelay = ~~(options.keepAliveInitialDelay / 1000);
  if (initialDelay !== 0) socket[kSetKeepAliveInitialDelay] = initialDelay;
  if (options.typeOfService !== undefined) {
    validateInt32(options.typeOfService, 'options.typeOfService', 0, 255);
    socket[kSetTOS] = options.typeOfService;
  }
}

// setKeepAlive([enable][, initialDelay][, interval][, count]) or setKeepAlive({ enable, initialDelay, interval,
// count }). Delays in ms, handed down in whole seconds; an omitted interval or count is handed down as undefined
// (the native side then uses 1 s and 10). Nothing is validated, as in core.
function setKeepAlive(enable, initialDelayMsecs, intervalMsecs, count) {
  if (enable !== null && typeof enable === 'object') {
    ({ enable, initialDelay: initialDelayMsecs, interval: intervalMsecs, count } = enable);
  }
  enable = Boolean(enable);
  const initialDelay = ~~(initialDelayMsecs / 1000);
  const interval = intervalMsecs === undefined ? undefined : ~~(intervalMsecs / 1000);
  if (!this._handle) {
    remember(this, enable, initialDelay, interval, count);
    return this;
  }
  if (!this._handle.setKeepAlive) return this;
  if (enable !== this[kSetKeepAlive] ||
      (enable && (this[kSetKeepAliveInitialDelay] !== initialDelay || this[kSetKeepAliveInterval] !== interval ||
                  this[kSetKeepAliveCount] !== count))) {
    remember(this, enable, initialDelay, interval, count);
    this._handle.setKeepAlive(enable, initialDelay, interval, count);
  }
  return this;
}

function remember(socket, enable, initialDelay, interval, count) {
  socket[kSetKeepAlive] = enable;
  socket[kSetKeepAliveInitialDelay] = initialDelay;
  socket[kSetKeepAliveInterval] = interval;
  socket[kSetKeepAliveCount] = count;
}

// Core's Unix-socket handles have no type of service: the value is only kept. Ours serve both kinds.
function tosHandle(socket) {
  const handle = socket._handle;
  if (!handle || typeof handle.setTypeOfService !== 'function') return null;
  if (typeof handle.isPipe === 'function' && handle.isPipe()) return null;
  return handle;
}

function setTypeOfService(tos) {
  if (Number.isNaN(tos)) throw ERR_INVALID_ARG_TYPE('tos', 'number', tos);
  validateInt32(tos, 'tos', 0, 255);
  const handle = tosHandle(this);
  if (handle === null) {
    this[kSetTOS] = tos;
    return this;
  }
  if (tos !== this[kSetTOS]) {
    this[kSetTOS] = tos;
    // EBADF while connecting (no descriptor yet), as core: the value is kept and applied on connect
    const err = handle.setTypeOfService(tos);
    if (err) throw errnoException(err, 'setTypeOfService');
  }
  return this;
}

function getTypeOfService() {
  const handle = tosHandle(this);
  if (handle === null) return this[kSetTOS] !== undefined ? this[kSetTOS] : 0;
  const res = handle.getTypeOfService();
  if (typeof res === 'number' && res < 0) throw errnoException(res, 'getTypeOfService');
  return res;
}

// Connected: apply what was asked before (after noDelay, before 'connect', as core's afterConnect).
function applyOnConnect(socket, handle) {
  if (socket[kSetKeepAlive] && handle.setKeepAlive) {
    handle.setKeepAlive(true, socket[kSetKeepAliveInitialDelay], socket[kSetKeepAliveInterval],
                        socket[kSetKeepAliveCount]);
  }
  if (socket[kSetTOS] !== undefined && tosHandle(socket) === handle) {
    const err = handle.setTypeOfService(socket[kSetTOS]);
    if (err && err !== UV_EBADF) socket.emit('error', errnoException(err, 'setTypeOfService'));
  }
}

module.exports = {
  kSetKeepAlive, kSetKeepAliveInitialDelay, kSetKeepAliveInterval, kSetKeepAliveCount, kSetTOS,
  initSocketOptions, setKeepAlive, setTypeOfService, getTypeOfService, applyOnConnect,
};

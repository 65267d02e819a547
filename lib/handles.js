'use strict';
// What core's handles offer beyond the native methods, for the core modules and tools that use them:
// - process._getActiveHandles() and process.getActiveResourcesInfo() list fastnet's sockets and servers as core
//   lists its own: the ref'd handles not yet closed, as their owners (net.Socket / net.Server) and as the names
//   core gives its handle wraps. Both functions are wrapped once per env (each env loads this module); the
//   native side is asked for its handles only when they are called.
// - getProviderType(): http's agent passes it to asyncReset() when it reuses a kept-alive socket.
const { asyncWrapProviders } = require('async_hooks');
const { binding, kOwner } = require('./native');

function resourceName(handle) {
  if (handle.isPipe()) return 'PipeWrap';
  return handle instanceof binding.Server ? 'TCPServerWrap' : 'TCPSocketWrap';
}

function getProviderType() {
  const pipe = this.isPipe();
  const name = this instanceof binding.Server ? (pipe ? 'PIPESERVERWRAP' : 'TCPSERVERWRAP') : (pipe ? 'PIPEWRAP' : 'TCPWRAP');
  return asyncWrapProviders[name];
}

function install() {
  for (const cls of [binding.Socket, binding.Server]) {
    Object.defineProperty(cls.prototype, 'getProviderType', { value: getProviderType, writable: true, configurable: true });
  }

  const getHandles = process._getActiveHandles;
  const getInfo = process.getActiveResourcesInfo;
  if (typeof getHandles === 'function') {
    process._getActiveHandles = function _getActiveHandles() {
      const list = Reflect.apply(getHandles, this, arguments);
      for (const handle of binding.activeHandles()) list.push(handle[kOwner] ?? handle);
      return list;
    };
  }
  if (typeof getInfo === 'function') {
    process.getActiveResourcesInfo = function getActiveResourcesInfo() {
      const list = Reflect.apply(getInfo, this, arguments);
      // core lists requests, then handles, then timers ('Timeout', 'Immediate'): ours go before the timers
      let at = list.length;
      while (at > 0 && (list[at - 1] === 'Timeout' || list[at - 1] === 'Immediate')) at--;
      list.splice(at, 0, ...binding.activeHandles().map(resourceName));
      return list;
    };
  }
}

module.exports = { install };

'use strict';
// fastnet: Node's `net` API over native libuv handles. Same exports, same events, same errors.
const core = require('net');
const { binding } = require('./native');
const { executionAsyncId } = require('async_hooks');
const { Socket, normalizeArgs, onread, onwrite, onshutdown, ontimeout } = require('./socket');
const { Server, createServerHandle, onconnection } = require('./server');
const connect = require('./connect');
const { BoundSocket } = require('./bound');
const { channels } = require('./diagnostics');
const { exportedByCore, clientSocketPublishedByConnect } = require('./versions');
require('./ipc');  // fastnet sockets and servers through child_process and cluster IPC (installs once)
require('./transfer');  // fastnet sockets and servers moved to worker threads with postMessage (installs once per thread)

binding.setCallbacks({ onread, onwrite, onconnect: connect.onconnect, onshutdown, ontimeout, onconnection, executionAsyncId });
require('./handles').install();
// A write deferred until the loop polls (see src/stream.c) goes out at exit too: no iteration comes. Those
// sent whole are completed here, so that what their Writable buffered behind them is written as well.
process.on('exit', () => {
  for (const handle of binding.flushAll()) onwrite.call(handle, 0);
});

function createServer(options, connectionListener) {
  return new Server(options, connectionListener);
}

function createConnection(...args) {
  const normalized = normalizeArgs(args);
  const options = normalized[0];
  const socket = new Socket(options);
  if (!clientSocketPublishedByConnect && channels.clientSocket.hasSubscribers) channels.clientSocket.publish({ socket });
  if (options.timeout) socket.setTimeout(options.timeout);
  return socket.connect(normalized);
}

let warnedSimultaneousAccepts = false;
function _setSimultaneousAccepts() {   // a Windows-only knob in core; here only its deprecation remains
  if (!warnedSimultaneousAccepts) {
    warnedSimultaneousAccepts = true;
    process.emitWarning('net._setSimultaneousAccepts() is deprecated and will be removed.', 'DeprecationWarning', 'DEP0121');
  }
}

// Address utilities hold no sockets: core's own are used as they are.
const { BlockList, SocketAddress, isIP, isIPv4, isIPv6 } = core;
const {
  getDefaultAutoSelectFamily, setDefaultAutoSelectFamily,
  getDefaultAutoSelectFamilyAttemptTimeout, setDefaultAutoSelectFamilyAttemptTimeout,
} = connect;

// Core's own where it has one: an internal class its worker-thread transfer deserializes into.
const _TransferredBoundSocket = core._TransferredBoundSocket;

// Every value a plain name (or `key: name`): Node finds ESM named exports of a CommonJS module by reading this
// literal (cjs-module-lexer), and stops at the first value that is not an identifier (`core.BlockList`).
// The literal lists every name some supported Node exports, in core's order; below, the keys are made those
// of the running Node's net.
module.exports = {
  _createServerHandle: createServerHandle,
  _normalizeArgs: normalizeArgs,
  _setSimultaneousAccepts,
  _TransferredBoundSocket,
  BlockList,
  SocketAddress,
  BoundSocket,
  connect: createConnection,
  createConnection,
  createServer,
  isIP,
  isIPv4,
  isIPv6,
  Server,
  Socket,
  Stream: Socket,
  getDefaultAutoSelectFamily,
  setDefaultAutoSelectFamily,
  getDefaultAutoSelectFamilyAttemptTimeout,
  setDefaultAutoSelectFamilyAttemptTimeout,
};

// Object.keys(require('fastnet')) equals core's: a name this Node's core lacks is dropped, or, for what fastnet
// offers on every version (FEATURES_EVERYWHERE), kept but not enumerable.
const FEATURES_EVERYWHERE = new Set(['BoundSocket']);
for (const name of Object.keys(module.exports)) {
  if (exportedByCore(name)) continue;
  if (FEATURES_EVERYWHERE.has(name)) Object.defineProperty(module.exports, name, { enumerable: false });
  else delete module.exports[name];
}

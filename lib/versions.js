'use strict';
// What differs by Node version, answered in one place. Each behaviour of core's net that changed after
// Node 20 is keyed here by name, with the first version whose core has it; `has(name)` tells whether the
// running Node does. Features the OS allows on every version (reusePort, blockList, type of service, worker
// transfer, BoundSocket's machinery) are not listed: fastnet offers them everywhere. What is listed is what
// core changed in a way apps can see and Node's own tests of that version check: defaults, errors, exports.

const SINCE = {
  // connect(): a custom lookup's non-string address is ERR_INVALID_IP_ADDRESS (before: ERR_INVALID_ARG_TYPE
  // from the native connect).
  lookupAddressValidated: '22.0.0',
  // connect(): options.host must be a string without NUL bytes (ERR_INVALID_ARG_TYPE / ERR_INVALID_ARG_VALUE).
  connectHostValidated: '22.0.0',
  // end(cb) on a socket that never connected calls cb (the check is `connecting`, not `pending`).
  endCallbackWithoutConnect: '22.0.0',
  // server.maxConnections = 0 drops every connection (before: 0 meant no limit).
  maxConnectionsZeroDrops: '21.0.0',
  // server.dropMaxConnection: over maxConnections, close the oldest connection instead of the new one.
  dropMaxConnection: '22.12.0',
  // listen(port, host) with a name: every address it resolves to, skipping link-local IPv6 ones.
  listenAllAddresses: '22.0.0',
  // A Unix socket path longer than sockaddr_un holds is refused (EINVAL), not truncated.
  pipePathTooLongRefused: '24.0.0',
  // ERR_INVALID_ARG_TYPE's "Received": an object whose constructor's name is not a non-empty string is shown
  // inspected (`{}`), not as `an instance of ` (in 24.0 at the latest; 22 has not).
  receivedInspectsNamelessInstances: '24.0.0',
  // Writes still in flight when the socket is destroyed or reset get ECANCELED in their callbacks.
  writesCanceledOnDestroy: '22.0.0',
};

// sockaddr_un's sun_path on Linux: a longer Unix socket path does not fit (libuv 1.46 would truncate it).
const PIPE_PATH_MAX = 108;
// 0, or UV_EINVAL where this Node refuses a Unix socket path that does not fit.
function pipePathError(path, UV_EINVAL) {
  return answers.pipePathTooLongRefused && Buffer.byteLength(path) > PIPE_PATH_MAX ? UV_EINVAL : 0;
}

function parse(version) {
  return version.split('.').map((part) => parseInt(part, 10) || 0);
}

function atLeast(version, than) {
  const a = parse(version);
  const b = parse(than);
  for (let i = 0; i < 3; i++) {
    if (a[i] !== b[i]) return a[i] > b[i];
  }
  return true;
}

const running = process.versions.node;
const answers = {};
for (const [name, since] of Object.entries(SINCE)) answers[name] = atLeast(running, since);

// true if the running Node's net has the behaviour `name` (a key of SINCE); an unknown name is a bug.
function has(name) {
  const answer = answers[name];
  if (answer === undefined) throw new Error(`fastnet: unknown version feature ${name}`);
  return answer;
}

// 'net.client.socket' is published by every Socket.prototype.connect() (new Socket().connect(), tls.connect...),
// not only by net.connect()/createConnection(): nodejs/node#58349, in 22.17.0 and on the 24 line (which release
// of 24 took it is not known here, so it is read off core's own connect).
const clientSocketPublishedByConnect =
  Function.prototype.toString.call(require('net').Socket.prototype.connect).includes('netClientSocketChannel');

// Exports follow core's by name, not by version number: minor releases added and dropped names
// (BoundSocket and _TransferredBoundSocket in 24.19, _setSimultaneousAccepts gone by 24.22).
const coreNet = require('net');
function exportedByCore(name) {
  return Object.prototype.hasOwnProperty.call(coreNet, name);
}

module.exports = { has, exportedByCore, pipePathError, clientSocketPublishedByConnect, SINCE, atLeast };

'use strict';
// Preload (`node -r`) for Node's benchmark/net files when there is no network namespace of our own
// (no `unshare -n`, or --no-netns): they listen on all interfaces (`server.listen(PORT)`) and connect to
// 'localhost'; this pins both to 127.0.0.1, so nothing is reachable from outside this machine and
// 'localhost' resolving to ::1 does not matter. The port is the benchmarks' own `common.PORT`, taken
// from $PORT (run.js picks a free one per run, since other runs may share the namespace).
// Loaded after the fastnet swap where there is one, so `require('net')` here is the implementation the
// benchmark gets. It wraps net.Server.prototype.listen, net.connect and net.createConnection once per
// process (before the benchmark starts); the per-call cost is a few argument checks.

const net = require('net');

const HOST = '127.0.0.1';
const isPort = (v) => typeof v === 'number' || (typeof v === 'string' && /^\d+$/.test(v));

// listen(port[, host][, backlog][, cb]) and listen({ port }[, cb]) without a host.
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function listenOnLoopback(...args) {
  if (isPort(args[0]) && typeof args[1] !== 'string') args.splice(1, 0, HOST);
  else if (args[0] && typeof args[0] === 'object' && args[0].port !== undefined && args[0].path === undefined &&
           args[0].host === undefined) args[0] = { ...args[0], host: HOST };
  return listen.apply(this, args);
};

// connect(port[, host][, cb]) and connect({ port }[, cb]) without a host.
function pin(connect) {
  return function connectToLoopback(...args) {
    if (isPort(args[0]) && typeof args[1] !== 'string') args.splice(1, 0, HOST);
    else if (args[0] && typeof args[0] === 'object' && !Array.isArray(args[0]) && args[0].path === undefined &&
             args[0].host === undefined) args[0] = { ...args[0], host: HOST };
    return connect.apply(this, args);
  };
}
net.connect = pin(net.connect);
net.createConnection = pin(net.createConnection);

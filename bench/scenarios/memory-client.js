'use strict';
// The client half of the memory scenario (always core net): node memory-client.js PORT COUNT
// Opens COUNT connections to 127.0.0.1:PORT, prints READY, holds them until stdin closes.

const net = require('net');
const { connectMany } = require('../net-util.js');

const [port, count] = process.argv.slice(2).map(Number);
setTimeout(() => process.exit(2), 120000).unref();
process.stdin.on('close', () => process.exit(0)).resume();

connectMany(net, port, count, 200).then((sockets) => {
  for (const s of sockets) s.on('error', () => {});
  process.stdout.write('READY\n');
}, (err) => {
  console.error(err);
  process.exit(1);
});

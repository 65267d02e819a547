// Node's benchmark/net/net-pipe.js with the receiving client reading through the `onread` option:
// the server echoes with socket.pipe(socket) as there, the client writes with the same Reader and
// reads the echo into one static 64 KiB buffer (`onread: { buffer, callback }`) instead of piping it
// to a Writer. Gb/s counts both directions, as net-pipe.js does. Run through Node's own
// benchmark/common.js, found in $FASTNET_BENCH_NODE_SRC (bench/scenarios/node.js sets it).
'use strict';

const path = require('path');
const common = require(path.join(process.env.FASTNET_BENCH_NODE_SRC, 'benchmark', 'common.js'));
const net = require('net');
const PORT = common.PORT;

const bench = common.createBenchmark(main, {
  len: [2, 64, 102400, 1024 * 1024 * 16],
  type: ['buf'],
  recvbuflen: [64 * 1024],
  dur: [5],
}, {
  test: { len: 1024 },
});

let chunk;
let received = 0;

function main({ dur, len, type, recvbuflen }) {
  if (type !== 'buf') throw new Error(`invalid type: ${type}`);
  chunk = Buffer.alloc(len, 'x');

  const reader = new Reader();
  const server = net.createServer((socket) => {
    socket.pipe(socket);
  });

  server.listen(PORT, () => {
    const socket = net.connect({
      port: PORT,
      onread: {
        buffer: Buffer.alloc(recvbuflen),
        callback(nread, buf) {
          received += nread;
        },
      },
    });
    socket.on('connect', () => {
      bench.start();
      reader.pipe(socket);
      setTimeout(() => {
        // Multiply by 2 since it went one way, then back again.
        const bytes = received * 2;
        const gbits = (bytes * 8) / (1024 * 1024 * 1024);
        bench.end(gbits);
        process.exit(0);
      }, dur * 1000);
    });
  });
}

function flow() {
  const dest = this.dest;
  const res = dest.write(chunk);
  if (!res)
    dest.once('drain', this.flow);
  else
    process.nextTick(this.flow);
}

function Reader() {
  this.flow = flow.bind(this);
  this.readable = true;
}

Reader.prototype.pipe = function(dest) {
  this.dest = dest;
  this.flow();
  return dest;
};

'use strict';
// Scenario 4: connection churn. 50 clients, each in a loop: connect, write 64 bytes, read the echo,
// end, wait for 'close', start over. Completed connections per second. Once with one server port, once
// with the clients taking turns over 8: with one, the kernel's search for a free local port among the
// TIME_WAIT connections caps core and fastnet alike near the port range every 2 s (see bench/README.md);
// with 8 there are 8 times as many free address pairs and the implementations' own cost shows.

const { HOST, listen, window } = require('../net-util.js');

module.exports = {
  name: 'churn',
  title: 'Connection churn, 50 clients: connect, 64 B echo, close',

  cases(mode) {
    const dur = { full: 3, quick: 1, smoke: 0.2 }[mode];
    const warm = mode === 'smoke' ? 0.05 : 0.3;
    const metrics = [{ key: 'rate', label: 'connections/s', better: 'higher' }];
    return [
      { id: 'churn 50 clients', params: { dur, warm, clients: 50, len: 64, ports: 1 }, metrics },
      { id: 'churn 50 clients, 8 server ports', params: { dur, warm, clients: 50, len: 64, ports: 8 }, metrics },
    ];
  },

  async child(net, { dur, warm, clients, len, ports: portCount }) {
    const ports = [];
    for (let i = 0; i < portCount; i++) {
      const server = net.createServer((s) => s.on('data', (d) => s.write(d)));
      ports.push(await listen(server, 2048));
    }
    let next = 0;
    const msg = Buffer.alloc(len, 'x');
    let count = 0;
    let stopped = false;
    let failure = null;

    const once = () => {
      const socket = net.connect(ports[next++ % ports.length], HOST);
      let got = 0;
      socket.on('connect', () => socket.write(msg));
      socket.on('data', (d) => {
        got += d.length;
        if (got >= len) socket.end();
      });
      socket.on('error', (err) => { failure ??= err; });
      socket.on('close', () => {
        if (got >= len) count++;
        if (!stopped && !failure) once();
      });
    };
    for (let i = 0; i < clients; i++) once();

    const secs = await window({ warm, dur }, () => { count = 0; });
    stopped = true;
    if (failure) throw failure;
    return { rate: count / secs };
  },
};

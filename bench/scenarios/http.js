'use strict';
// Scenario 5: HTTP on fastnet. A plain http.Server fed by the implementation's net server
// (server.on('connection', s => httpServer.emit('connection', s))), loaded by wrk from a separate
// process: requests/s and p99 latency.

const http = require('http');
const { execFile } = require('child_process');
const { listen } = require('../net-util.js');
const tools = require('../tools.js');

const BODY = 'hello world\n';

module.exports = {
  name: 'http',
  title: 'HTTP/1.1 keep-alive, wrk with 50 connections',

  prepare() {
    return { wrk: tools.wrk() };
  },

  cases(mode) {
    // wrk takes whole seconds
    const dur = { full: 3, quick: 1, smoke: 1 }[mode];
    return [{
      id: 'http 50 conns',
      params: { dur, warm: mode === 'smoke' ? 0 : 1, conns: 50 },
      metrics: [
        { key: 'rate', label: 'requests/s', better: 'higher' },
        { key: 'p99', label: 'p99 latency ms', better: 'lower' },
      ],
    }];
  },

  async child(net, { dur, warm, conns, wrk }) {
    const httpServer = http.createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': BODY.length });
      res.end(BODY);
    });
    // http.Server's own listener would set noDelay (its default); a socket handed in by 'connection' has
    // to be set here, or Nagle's algorithm and delayed ACKs make the results swing.
    const server = net.createServer((socket) => {
      socket.setNoDelay(true);
      httpServer.emit('connection', socket);
    });
    const url = `http://127.0.0.1:${await listen(server, 1024)}/`;

    if (warm > 0) await runWrk(wrk, conns, warm, url);
    const out = await runWrk(wrk, conns, dur, url);
    const rate = out.match(/^Requests\/sec:\s+([\d.]+)/m);
    const p99 = out.match(/^\s+99%\s+([\d.]+)(us|ms|s)\b/m);
    if (!rate || !p99) throw new Error(`cannot read wrk's output:\n${out}`);
    if (/Non-2xx|Socket errors/.test(out)) throw new Error(`wrk saw errors:\n${out}`);
    const scale = { us: 1e-3, ms: 1, s: 1e3 }[p99[2]];
    return { rate: +rate[1], p99: +p99[1] * scale };
  },
};

function runWrk(wrk, conns, dur, url) {
  const args = ['-t1', `-c${conns}`, `-d${dur}s`, '--latency', url];
  return new Promise((resolve, reject) => {
    execFile(wrk, args, { timeout: (dur + 30) * 1000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`wrk failed: ${err.message}\n${stdout}${stderr}`));
      else resolve(stdout);
    });
  });
}

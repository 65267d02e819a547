'use strict';
// Scenario 5: HTTP on fastnet. A plain http.Server fed by the implementation's net server
// (server.on('connection', s => httpServer.emit('connection', s))), loaded either by wrk from a separate
// process, or by Node's own HTTP client in the same process: an http.Agent({ keepAlive: true }) whose
// createConnection is the implementation's net.createConnection, so both ends are the implementation.
// Requests/s and p99 latency.

const http = require('http');
const { execFile } = require('child_process');
const { HOST, listen, window, percentile } = require('../net-util.js');
const tools = require('../tools.js');

const BODY = 'hello world\n';

module.exports = {
  name: 'http',
  title: 'HTTP/1.1 keep-alive: wrk with 50 connections; a keep-alive http.Agent with 10',

  // wrk for the wrk case only; the agent case needs nothing
  prepareCase(c) {
    return c.params.client === 'wrk' ? { wrk: tools.wrk() } : {};
  },

  cases(mode) {
    const metrics = [
      { key: 'rate', label: 'requests/s', better: 'higher' },
      { key: 'p99', label: 'p99 latency ms', better: 'lower' },
    ];
    // wrk takes whole seconds
    const dur = { full: 3, quick: 1, smoke: 1 }[mode];
    const agentDur = { full: 3, quick: 1, smoke: 0.3 }[mode];
    return [{
      id: 'http 50 conns',
      params: { client: 'wrk', dur, warm: mode === 'smoke' ? 0 : 1, conns: 50 },
      metrics,
    }, {
      id: 'http agent keep-alive 10 conns',
      params: { client: 'agent', dur: agentDur, warm: mode === 'smoke' ? 0.1 : 0.5, conns: 10 },
      metrics,
    }];
  },

  child(net, params) {
    return params.client === 'agent' ? agentChild(net, params) : wrkChild(net, params);
  },
};

// The server both cases load: http.Server fed by the implementation's net server. Resolves its port and
// a count of the connections it accepted.
async function serve(net) {
  const httpServer = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': BODY.length });
    res.end(BODY);
  });
  // http.Server's own listener would set noDelay (its default); a socket handed in by 'connection' has
  // to be set here, or Nagle's algorithm and delayed ACKs make the results swing.
  const accepted = { count: 0 };
  const server = net.createServer((socket) => {
    accepted.count++;
    socket.setNoDelay(true);
    httpServer.emit('connection', socket);
  });
  return { port: await listen(server, 1024), accepted };
}

async function wrkChild(net, { dur, warm, conns, wrk }) {
  const { port } = await serve(net);
  const url = `http://${HOST}:${port}/`;

  if (warm > 0) await runWrk(wrk, conns, warm, url);
  const out = await runWrk(wrk, conns, dur, url);
  const rate = out.match(/^Requests\/sec:\s+([\d.]+)/m);
  const p99 = out.match(/^\s+99%\s+([\d.]+)(us|ms|s)\b/m);
  if (!rate || !p99) throw new Error(`cannot read wrk's output:\n${out}`);
  if (/Non-2xx|Socket errors/.test(out)) throw new Error(`wrk saw errors:\n${out}`);
  const scale = { us: 1e-3, ms: 1, s: 1e3 }[p99[2]];
  return { rate: +rate[1], p99: +p99[1] * scale };
}

const MAX_SAMPLES = 1 << 22;

// `conns` loops, each a GET through the keep-alive agent, the whole body read, then the next. The agent
// may hold `conns` sockets, so each loop keeps one; more connections than that means keep-alive broke.
async function agentChild(net, { dur, warm, conns }) {
  const { port, accepted } = await serve(net);
  const agent = new http.Agent({ keepAlive: true, maxSockets: conns });
  agent.createConnection = net.createConnection;

  const samples = new Float64Array(MAX_SAMPLES);
  let n = 0;
  let count = 0;
  let measuring = false;
  let stopped = false;
  let failure = null;
  let running = conns;
  let allStopped;
  const stopping = new Promise((resolve) => { allStopped = resolve; });

  const loop = () => {
    if (stopped || failure) {
      if (--running === 0) allStopped();
      return;
    }
    const t0 = process.hrtime.bigint();
    const req = http.get({ agent, host: HOST, port, path: '/' }, (res) => {
      let len = 0;
      res.on('data', (d) => { len += d.length; });
      res.on('end', () => {
        if (res.statusCode !== 200 || len !== BODY.length) failure ??= new Error(`got ${res.statusCode}, ${len} bytes`);
        if (measuring) {
          count++;
          if (n < MAX_SAMPLES) samples[n++] = Number(process.hrtime.bigint() - t0) / 1e6;
        }
        loop();
      });
    });
    req.on('error', (err) => {
      failure ??= err;
      if (--running === 0) allStopped();
    });
  };
  for (let i = 0; i < conns; i++) loop();

  const secs = await window({ warm, dur }, () => { measuring = true; });
  measuring = false;
  stopped = true;
  await stopping;
  agent.destroy();
  if (failure) throw failure;
  if (accepted.count > conns)
    throw new Error(`keep-alive did not hold: ${accepted.count} connections for ${conns} request loops`);
  return { rate: count / secs, p99: percentile(samples, n, 99) };
}

function runWrk(wrk, conns, dur, url) {
  const args = ['-t1', `-c${conns}`, `-d${dur}s`, '--latency', url];
  return new Promise((resolve, reject) => {
    execFile(wrk, args, { timeout: (dur + 30) * 1000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`wrk failed: ${err.message}\n${stdout}${stderr}`));
      else resolve(stdout);
    });
  });
}

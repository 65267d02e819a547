'use strict';
// One measurement in a fresh process: node bench/child.js SCENARIO core|fastnet PARAMS_JSON
// Loads the implementation, runs the scenario's child(net, params), prints "RESULT {json}".

const path = require('path');

const [scenarioName, impl, paramsJson] = process.argv.slice(2);
const ROOT = path.resolve(__dirname, '..');
const net = impl === 'fastnet' ? require(ROOT) : require('net');
const scenario = require(`./scenarios/${scenarioName}.js`);
const params = JSON.parse(paramsJson);

// A bound of its own, besides the parent's.
setTimeout(() => {
  console.error(`child: ${scenarioName} did not finish in time`);
  process.exit(3);
}, ((params.dur || 0) + 60) * 1000).unref();

scenario.child(net, params, impl).then((result) => {
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`, () => process.exit(0));
}, (err) => {
  console.error(err?.stack || String(err));
  process.exit(1);
});

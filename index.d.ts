// fastnet's API is core's `net` module, name for name: its types are the ones @types/node declares for
// `node:net`, whichever version of @types/node the app has.
/// <reference types="node" />
import net = require('node:net');
export = net;

'use strict';
// The native addon and what JS shares about its handles.
// Which binary: FASTNET_ADDON (npm run test:asan's sanitized build), build/Release, or the prebuilt one for this
// platform (lib/load-addon.js, which also says what to run when none is there).
const binding = require('./load-addon').load();

const kOwner = Symbol('fastnet.owner');     // handle -> the Socket or Server that owns it
const { kId } = binding;                    // handle -> its id, by which the native side finds it

// close(cb) calls cb once uv_close completed, as core's handles do (so this works on those too).
// `reset` closes a TCP socket with RST instead of FIN. Our sockets also put bytesRead and bytesWritten in
// `counts` (a Float64Array); core's handles ignore it.
function closeHandle(handle, callback, reset = false, counts = undefined) {
  if (reset) handle.reset(callback, counts);
  else handle.close(callback, counts);
}

module.exports = { binding, kOwner, kId, closeHandle };

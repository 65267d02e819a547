'use strict';
// A Socket is a Duplex whose Writable half is set up when first used. A Duplex's constructor makes both
// halves' state at once, and the Writable's (its state, two arrays and a bound callback, about 290 bytes
// of heap) is most of what an idle connection costs. Here the Readable half is made as the constructor makes
// it; `_writableState` is an accessor on Socket.prototype that makes the Writable's state the first time
// anything (write, end, destroy, a writable* getter, instanceof Writable...) asks for it, with the options
// the constructor would have used. From then on it is an own data property, as on any Duplex.
// Options this file does not handle lazily (stream hooks, a signal, writable: false...) get the Duplex
// constructor itself.

const stream = require('stream');

const { ReadableState } = stream.Readable;
const { WritableState } = stream.Writable;
const kWritableOptions = Symbol('kWritableOptions');  // what the state will be made with (shared per highWaterMark)
const kWritable = Symbol('kWritable');                // the state, once made (tells `destroyed` it exists)

// Options that need the Duplex constructor as is (stream hooks, a signal, an encoding it validates, a
// Writable half that is not writable). Named loads, not a loop over keys: this runs for every socket.
function needsDuplexConstructor(options) {
  return options.writable === false || options.read != null || options.write != null || options.writev != null ||
    options.final != null || options.destroy != null || options.construct != null || options.signal != null ||
    options.defaultEncoding != null;
}

// What the Writable state reads besides its highWaterMark is the same for every Socket (decodeStrings,
// emitClose, autoDestroy; objectMode is refused). One frozen options object per highWaterMark in use.
const writableOptionsByHwm = new Map();
function writableOptions(hwm) {
  let options = writableOptionsByHwm.get(hwm);
  if (options === undefined) {
    options = Object.freeze({ highWaterMark: hwm, decodeStrings: false, emitClose: false, autoDestroy: true });
    if (writableOptionsByHwm.size < 64) writableOptionsByHwm.set(hwm, options);
  }
  return options;
}

// The Writable's highWaterMark as its state would compute it now (a default changed later by
// stream.setDefaultHighWaterMark does not apply, as it would not to a state made now); null if invalid (the
// Duplex constructor then throws core's error).
function writableHighWaterMark(options) {
  const hwm = options.highWaterMark ?? options.writableHighWaterMark;
  if (hwm === undefined || hwm === null) {
    return stream.getDefaultHighWaterMark ? stream.getDefaultHighWaterMark(false) : 16 * 1024;
  }
  return Number.isInteger(hwm) && hwm >= 0 ? hwm : null;
}

// Does for `socket` what Duplex(options) does, except the Writable state.
function initDuplex(socket, options) {
  const hwm = writableHighWaterMark(options);
  if (hwm === null || needsDuplexConstructor(options)) {
    stream.Duplex.call(socket, options);  // its `this._writableState = ...` goes through the setter below
    return;
  }
  socket._events ??= {
    close: undefined, error: undefined, prefinish: undefined, finish: undefined,
    drain: undefined, data: undefined, end: undefined, readable: undefined,
  };
  socket._readableState = new ReadableState(options, socket, true);
  socket[kWritable] = undefined;
  socket[kWritableOptions] = writableOptions(hwm);
  socket.allowHalfOpen = options.allowHalfOpen !== false;
  if (options.readable === false) {
    const state = socket._readableState;
    state.readable = false;
    state.ended = true;
    state.endEmitted = true;
  }
  stream.Stream.call(socket, options);
}

// An own `_writableState` data property over the prototype's accessor, as a plain assignment cannot make (it
// calls the setter). A class field is defined, not assigned, and a base constructor that returns another
// object gets the derived class's fields defined on that object: the same property Object.defineProperty
// would make, through an inline cache instead of the runtime (~60 against ~240 ns a socket).
let stateToDefine;
class ReturnsItsArgument { constructor(object) { return object; } }
class DefinesWritableState extends ReturnsItsArgument { _writableState = stateToDefine; }

function ownWritableState(socket, state) {
  stateToDefine = state;
  new DefinesWritableState(socket);
  stateToDefine = undefined;
  socket[kWritable] = state;
  return state;
}

function defineLazyWritableState(proto) {
  Object.defineProperty(proto, '_writableState', {
    configurable: true,
    enumerable: false,
    get() {
      // a prototype (a subclass's) or an object not made by the constructor has no state to make
      if (!Object.prototype.hasOwnProperty.call(this, kWritableOptions)) return undefined;
      return ownWritableState(this, new WritableState(this[kWritableOptions], this, true));
    },
    set(state) {
      ownWritableState(this, state);
    },
  });
  // Duplex's `destroyed` reads both states; a Writable half nobody used yet is not destroyed (destroy() makes it).
  Object.defineProperty(proto, 'destroyed', {
    configurable: true,
    enumerable: false,
    get() {
      const writable = this[kWritable];
      return writable !== undefined && this._readableState !== undefined &&
        this._readableState.destroyed && writable.destroyed;
    },
    set(value) {
      if (this._readableState && this._writableState) {
        this._readableState.destroyed = value;
        this._writableState.destroyed = value;
      }
    },
  });
}

// _undestroy() (a new handle for a socket used before), without making the Writable state: a state not
// made yet is as undestroyed as can be.
function undestroy(socket) {
  if (socket[kWritable] !== undefined) socket._undestroy();
  else socket._undestroy.call({ _readableState: socket._readableState });
}

// Whether a write with no callback may skip the Writable when the kernel takes it whole at once: the
// Writable's own bookkeeping for it would then cancel out (its length and pending count go up and down again)
// and schedule nothing. So it is when the Writable is idle (nothing in flight, buffered or corked, not ending,
// destroyed or errored, no 'drain' owed) and this Node's Writable schedules no tick for a write without a
// callback that completes at once (Node 22 and later, and late Node 20 releases; asked of a Writable itself).
function writableIdle(state) {
  return state.constructed && !state.writing && state.corked === 0 && !state.ending && !state.destroyed &&
    state.errored === null && !state.needDrain && state.bufferedRequestCount === 0 &&
    (nopWritesScheduleNothing ??= writableSchedulesNothingForNopWrites());
}
let nopWritesScheduleNothing;

function writableSchedulesNothingForNopWrites() {
  const writable = new stream.Writable({ write(chunk, encoding, cb) { cb(); } });
  writable.write('x');
  return writable._writableState.pendingcb === 0 && writable.writableLength === 0;
}

module.exports = { initDuplex, defineLazyWritableState, undestroy, writableIdle };

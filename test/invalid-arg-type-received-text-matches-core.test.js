'use strict';
// Scenario: the "Received ..." end of ERR_INVALID_ARG_TYPE and ERR_SOCKET_BAD_PORT messages is core's
// for every kind of value: functions (named, anonymous, with odd names), strings (short, long, cut in
// a surrogate pair, with quotes, newlines, control characters, lone surrogates), numbers (-0, NaN,
// huge), bigints, booleans, symbols, and objects (class instances, null prototypes, odd `constructor`s).
// Each value goes through public calls that validate it, with core net and with fastnet, and the two
// must throw the same thing (class, code, message, stack header), so this holds on any Node version.

const test = require('node:test');
const assert = require('node:assert');
const coreNet = require('net');
const net = require('..');
const { thrownShape } = require('./helpers');

const anonymous = [function () {}, () => {}, class {}][0];
const unnamed = function () {};
delete unnamed.name;   // inherits Function.prototype.name, ''
const numberNamed = function () {};
Object.defineProperty(numberNamed, 'name', { value: 42 });

const VALUES = {
  'anonymous function': anonymous,
  'arrow function': () => {},
  'anonymous class': class {},
  'named function': function named() {},
  'async function': async function af() {},
  'generator function': function* gen() {},
  'function without a name property': unnamed,
  'function with a number name': numberNamed,
  'empty string': '',
  'space': ' ',
  'short string': 'abc',
  'newline': 'a\nb',
  'single quote': "it's",
  'single quote and newline': "it's\nx",
  'single quote and lone surrogate': "it's\ud800",
  'double quote': 'a"b',
  'both quotes': 'a\'b"c',
  'backslash': 'a\\b',
  'backslash and single quote': "it's\\",
  'NUL': '\x00',
  'escape sequence': '\x1b[31m',
  'lone surrogate': '\ud800x',
  'non-ASCII': 'é',
  '28 chars': 'x'.repeat(28),
  '29 chars': 'x'.repeat(29),
  '40 chars': 'y'.repeat(40),
  'long, cut inside a surrogate pair': '\u{1F600}'.repeat(20),
  'long, quote after the cut': `${'x'.repeat(30)}'`,
  'long, quote before the cut': `'${'x'.repeat(30)}`,
  'long quotes only': "'".repeat(40),
  'number 5.5': 5.5,
  'minus zero': -0,
  'NaN': NaN,
  '-Infinity': -Infinity,
  '1e21': 1e21,
  'huge number': 123456789012345678901234567890,
  'tiny negative number': -1.2345678901234567e-300,
  'bigint': 10n,
  'negative bigint': -10n,
  'huge bigint': 10n ** 40n,
  'true': true,
  'false': false,
  'symbol without description': Symbol(),
  'symbol': Symbol('s'),
  'symbol with newline': Symbol('a\nb'),
  'long symbol': Symbol('z'.repeat(40)),
  'well-known symbol': Symbol.iterator,
  'registered symbol': Symbol.for('q'),
  'null': null,
  'plain object': {},
  'null-prototype object': Object.create(null),
  'null-prototype object with properties': Object.assign(Object.create(null), { a: { b: 1 } }),
  'array': [1, 2],
  'Map': new Map(),
  'Date': new Date(0),
  'RegExp': /re/,
  'Error': new Error('e'),
  'class instance': new (class Foo {})(),
  'anonymous class instance': new (class {})(),
  'Buffer': Buffer.from('x'),
  'boxed number': Object(3),
  'Proxy': new Proxy({}, {}),
  'constructor: null': { constructor: null },
  "constructor: { name: '' }": { constructor: { name: '' } },
  'constructor: {}': { constructor: {} },
  'constructor with inherited name': { constructor: Object.create({ name: 'Inherited' }) },
  'constructor with undefined name': { constructor: { name: undefined } },
  'constructor with a number name': { constructor: { name: 5 } },
  'constructor: 5': { constructor: 5 },
  'prototype of a null-prototype object': Object.create(Object.create(null)),
};

// Public calls that validate their argument with ERR_INVALID_ARG_TYPE (or ERR_SOCKET_BAD_PORT for a
// number or string port). None touches the network: connects that do not throw are destroyed at once.
const CALLS = {
  // Numbers are valid there (huge ones would only warn about the timer's range), so they are left out.
  'socket.setTimeout(value)': (impl, v) => (typeof v === 'number' ? undefined : new impl.Socket().setTimeout(v)),
  'socket.setTimeout(1, value)': (impl, v) => new impl.Socket().setTimeout(1, v),
  'connect({ port: value })': (impl, v) => impl.connect({ port: v, host: '127.0.0.1' }),
  'connect({ localPort: value })': (impl, v) => impl.connect({ port: 1, host: '127.0.0.1', localPort: v }),
};

for (const [call, fn] of Object.entries(CALLS)) {
  test(`${call} throws core's message for every kind of value`, () => {
    let checked = 0;
    for (const [label, value] of Object.entries(VALUES)) {
      const core = thrownShape(() => fn(coreNet, value));
      const fast = thrownShape(() => fn(net, value));
      assert.deepStrictEqual(fast, core, `${call} with ${label}`);
      if (['ERR_INVALID_ARG_TYPE', 'ERR_SOCKET_BAD_PORT'].includes(core.code)) checked++;
    }
    assert.ok(checked >= 30, `only ${checked} values reached the Received text`);
  });
}

'use strict';
// Errors shaped like core's: the same classes, codes and messages, so apps and Node's tests can't tell.
const util = require('util');
const versions = require('./versions');

const kTypes = ['string', 'function', 'number', 'object', 'Function', 'Object', 'boolean', 'bigint', 'symbol'];
const classRegExp = /^([A-Z][a-z0-9]*)+$/;

function nodeError(Base, code, message) {
  const err = new Base(message);
  Object.defineProperty(err, 'toString', {
    value() { return `${this.name} [${code}]: ${this.message}`; },
    enumerable: false, writable: true, configurable: true,
  });
  err.code = code;
  return withCodeInStack(err);
}

// Core's own errors (and its AggregateError of a failed happy-eyeballs connect) show the code in the stack's
// first line, `TypeError [CODE]: message`, even when the message is empty: `AggregateError [ECONNREFUSED]: `.
// V8 wrote `Name: message` (or just `Name` for an empty message); rewrite that header.
function withCodeInStack(err) {
  const header = err.message ? `${err.name}: ${err.message}` : `${err.name}`;
  if (typeof err.stack === 'string' && err.stack.startsWith(header)) {
    err.stack = `${err.name} [${err.code}]: ${err.message}${err.stack.slice(header.length)}`;
  }
  return err;
}

// The "Received ..." end of core's ERR_INVALID_ARG_TYPE and ERR_SOCKET_BAD_PORT messages.
function describeReceived(value) {
  switch (typeof value) {
    case 'undefined': return 'undefined';
    case 'function': return `function ${value.name}`;
    case 'object': {
      if (value === null) return 'null';
      // `in` on a primitive constructor throws a TypeError, as it does in core.
      const ctor = value.constructor;
      if (versions.has('receivedInspectsNamelessInstances') ? typeof ctor?.name === 'string' && ctor.name !== '' :
        ctor && 'name' in ctor) {
        return `an instance of ${ctor.name}`;
      }
      return util.inspect(value, { depth: -1 });
    }
    case 'string': {
      // Cut by UTF-16 units (a surrogate pair may be split); quoted raw, JSON only if it holds a `'`.
      const shown = value.length > 28 ? `${value.slice(0, 25)}...` : value;
      return `type string (${shown.includes("'") ? JSON.stringify(shown) : `'${shown}'`})`;
    }
    case 'number': return `type number (${Object.is(value, -0) ? '-0' : value})`;
    case 'bigint': return `type bigint (${value}n)`;
    default: return `type ${typeof value} (${String(value)})`;   // boolean, symbol
  }
}

function listOf(items, prefix) {
  if (items.length > 2) return `${prefix}${items.slice(0, -1).join(', ')}, or ${items[items.length - 1]}`;
  if (items.length === 2) return `${prefix}${items[0]} or ${items[1]}`;
  return `${prefix}${items[0]}`;
}

function ERR_INVALID_ARG_TYPE(name, expected, actual) {
  expected = [].concat(expected);
  let msg = name.endsWith(' argument') ? `The ${name} must be ` :
    `The "${name}" ${name.includes('.') ? 'property' : 'argument'} must be `;
  const types = [];
  const instances = [];
  const other = [];
  for (const value of expected) {
    if (kTypes.includes(value)) types.push(value.toLowerCase());
    else if (classRegExp.test(value)) instances.push(value);
    else other.push(value);
  }
  if (instances.length > 0) {
    const pos = types.indexOf('object');
    if (pos !== -1) {
      types.splice(pos, 1);
      instances.push('Object');
    }
  }
  const parts = [];
  if (types.length > 0) parts.push(types.length > 1 ? listOf(types, 'one of type ') : `of type ${types[0]}`);
  if (instances.length > 0) parts.push(listOf(instances, 'an instance of '));
  if (other.length > 0) {
    if (other.length > 1) parts.push(listOf(other, 'one of '));
    else parts.push((other[0].toLowerCase() !== other[0] ? 'an ' : '') + other[0]);
  }
  msg += `${parts.join(' or ')}. Received ${describeReceived(actual)}`;
  return nodeError(TypeError, 'ERR_INVALID_ARG_TYPE', msg);
}

function ERR_INVALID_ARG_VALUE(name, value, reason = 'is invalid') {
  let inspected = util.inspect(value);
  if (inspected.length > 128) inspected = `${inspected.slice(0, 128)}...`;
  const type = name.includes('.') ? 'property' : 'argument';
  return nodeError(TypeError, 'ERR_INVALID_ARG_VALUE', `The ${type} '${name}' ${reason}. Received ${inspected}`);
}

function addNumericalSeparator(val) {
  let res = '';
  let i = val.length;
  const start = val[0] === '-' ? 1 : 0;
  for (; i >= start + 4; i -= 3) res = `_${val.slice(i - 3, i)}${res}`;
  return `${val.slice(0, i)}${res}`;
}

function ERR_OUT_OF_RANGE(str, range, input) {
  let received;
  if (Number.isInteger(input) && Math.abs(input) > 2 ** 32) received = addNumericalSeparator(String(input));
  else if (typeof input === 'bigint') {
    received = String(input);
    if (input > 2n ** 32n || input < -(2n ** 32n)) received = addNumericalSeparator(received);
    received += 'n';
  } else received = util.inspect(input);
  return nodeError(RangeError, 'ERR_OUT_OF_RANGE',
                   `The value of "${str}" is out of range. It must be ${range}. Received ${received}`);
}

function ERR_SOCKET_BAD_PORT(name, port, allowZero = true) {
  const operator = allowZero ? '>=' : '>';
  return nodeError(RangeError, 'ERR_SOCKET_BAD_PORT',
                   `${name} should be ${operator} 0 and < 65536. Received ${describeReceived(port)}.`);
}

function ERR_MISSING_ARGS(...args) {
  const wrap = (a) => `"${a}"`;
  args = args.map((a) => (Array.isArray(a) ? a.map(wrap).join(' or ') : wrap(a)));
  let msg = 'The ';
  if (args.length === 1) msg += `${args[0]} argument`;
  else if (args.length === 2) msg += `${args[0]} and ${args[1]} arguments`;
  else msg += `${args.slice(0, -1).join(', ')}, and ${args[args.length - 1]} arguments`;
  return nodeError(TypeError, 'ERR_MISSING_ARGS', `${msg} must be specified`);
}

function ERR_INVALID_ADDRESS_FAMILY(addressType, host, port) {
  const err = nodeError(RangeError, 'ERR_INVALID_ADDRESS_FAMILY', `Invalid address family: ${addressType} ${host}:${port}`);
  err.host = host;
  err.port = port;
  return err;
}

// `%s` as core formats it (util.format: a non-string value is inspected).
const simple = (Base, code, message) => (arg) => nodeError(Base, code, message.includes('%s') ? util.format(message, arg) : message);
const ERR_SERVER_ALREADY_LISTEN = simple(Error, 'ERR_SERVER_ALREADY_LISTEN',
                                         'Listen method has been called more than once without closing.');
const ERR_SERVER_NOT_RUNNING = simple(Error, 'ERR_SERVER_NOT_RUNNING', 'Server is not running.');
const ERR_SOCKET_CLOSED = simple(Error, 'ERR_SOCKET_CLOSED', 'Socket is closed');
const ERR_SOCKET_CLOSED_BEFORE_CONNECTION = simple(Error, 'ERR_SOCKET_CLOSED_BEFORE_CONNECTION',
                                                   'Socket closed before the connection was established');
const ERR_SOCKET_CONNECTION_TIMEOUT = simple(Error, 'ERR_SOCKET_CONNECTION_TIMEOUT', 'Socket connection timeout');
const ERR_INVALID_IP_ADDRESS = simple(TypeError, 'ERR_INVALID_IP_ADDRESS', 'Invalid IP address: %s');
const ERR_INVALID_FD_TYPE = simple(TypeError, 'ERR_INVALID_FD_TYPE', 'Unsupported fd type: %s');
const ERR_IP_BLOCKED = simple(Error, 'ERR_IP_BLOCKED', 'IP(%s) is blocked by net.BlockList');
const ERR_INVALID_HANDLE_TYPE = simple(TypeError, 'ERR_INVALID_HANDLE_TYPE', 'This handle type cannot be sent');

// System errors: `connect ECONNREFUSED 127.0.0.1:9` with code, errno, syscall, address, port.
const errorName = (err) => { try { return util.getSystemErrorName(err); } catch { return `Unknown system error ${err}`; } };

function errnoException(err, syscall, original) {
  const code = errorName(err);
  const ex = new Error(original ? `${syscall} ${code} ${original}` : `${syscall} ${code}`);
  ex.errno = err;
  ex.code = code;
  ex.syscall = syscall;
  Error.captureStackTrace(ex, errnoException);
  return ex;
}

function hostPortDetails(address, port) {
  if (port && port > 0) return ` ${address}:${port}`;
  if (address) return ` ${address}`;
  return '';
}

function exceptionWithHostPort(err, syscall, address, port, additional) {
  let details = hostPortDetails(address, port);
  if (additional) details += ` - Local (${additional})`;
  const ex = new Error(`${syscall} ${errorName(err)}${details}`);
  ex.errno = err;
  ex.code = errorName(err);
  ex.syscall = syscall;
  ex.address = address;
  if (port) ex.port = port;
  Error.captureStackTrace(ex, exceptionWithHostPort);
  return ex;
}

// `listen EADDRINUSE: address already in use 127.0.0.1:8080` (core's UVExceptionWithHostPort)
function uvExceptionWithHostPort(err, syscall, address, port) {
  const entry = util.getSystemErrorMap().get(err) || ['UNKNOWN', 'unknown error'];
  const ex = new Error(`${syscall} ${entry[0]}: ${entry[1]}${hostPortDetails(address, port)}`);
  ex.code = entry[0];
  ex.errno = err;
  ex.syscall = syscall;
  ex.address = address;
  if (port) ex.port = port;
  Error.captureStackTrace(ex, uvExceptionWithHostPort);
  return ex;
}

// Validators with core's codes and messages.
function validateNumber(value, name, min, max) {
  if (typeof value !== 'number') throw ERR_INVALID_ARG_TYPE(name, 'number', value);
  if ((min != null && value < min) || (max != null && value > max) ||
      ((min != null || max != null) && Number.isNaN(value))) {
    throw ERR_OUT_OF_RANGE(name,
                           `${min != null ? `>= ${min}` : ''}${min != null && max != null ? ' && ' : ''}` +
                           `${max != null ? `<= ${max}` : ''}`, value);
  }
}

function validateInt32(value, name, min = -2147483648, max = 2147483647) {
  if (typeof value !== 'number') throw ERR_INVALID_ARG_TYPE(name, 'number', value);
  if (!Number.isInteger(value)) throw ERR_OUT_OF_RANGE(name, 'an integer', value);
  if (value < min || value > max) throw ERR_OUT_OF_RANGE(name, `>= ${min} && <= ${max}`, value);
}

function validateUint32(value, name, positive = false) {
  if (typeof value !== 'number') throw ERR_INVALID_ARG_TYPE(name, 'number', value);
  if (!Number.isInteger(value)) throw ERR_OUT_OF_RANGE(name, 'an integer', value);
  const min = positive ? 1 : 0;
  if (value < min || value > 4294967295) throw ERR_OUT_OF_RANGE(name, `>= ${min} && <= 4294967295`, value);
}

function validateBoolean(value, name) {
  if (typeof value !== 'boolean') throw ERR_INVALID_ARG_TYPE(name, 'boolean', value);
}

function validateFunction(value, name) {
  if (typeof value !== 'function') throw ERR_INVALID_ARG_TYPE(name, 'Function', value);
}

function validateString(value, name) {
  if (typeof value !== 'string') throw ERR_INVALID_ARG_TYPE(name, 'string', value);
}

function validateObject(value, name) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw ERR_INVALID_ARG_TYPE(name, 'Object', value);
  }
}

function validateAbortSignal(signal, name) {
  if (signal !== undefined && (signal === null || typeof signal !== 'object' || !('aborted' in signal))) {
    throw ERR_INVALID_ARG_TYPE(name, 'AbortSignal', signal);
  }
}

function validatePort(port, name = 'Port', allowZero = true) {
  if ((typeof port !== 'number' && typeof port !== 'string') ||
      (typeof port === 'string' && port.trim().length === 0) ||
      +port !== (+port >>> 0) || port > 0xFFFF || (port === 0 && !allowZero)) {
    throw ERR_SOCKET_BAD_PORT(name, port, allowZero);
  }
  return port | 0;
}

// The `blockList` option of Socket and Server: a net.BlockList (core's own class: it holds no sockets).
function validateBlockList(value, name) {
  const { BlockList } = require('net');
  const ok = typeof BlockList.isBlockList === 'function' ? BlockList.isBlockList(value) : value instanceof BlockList;
  if (!ok) throw ERR_INVALID_ARG_TYPE(name, 'net.BlockList', value);
  return value;
}

function AbortError(message = 'The operation was aborted', options) {
  const err = new Error(message, options);
  err.code = 'ABORT_ERR';
  err.name = 'AbortError';
  return err;
}

module.exports = {
  nodeError, withCodeInStack,
  ERR_INVALID_ARG_TYPE, ERR_INVALID_ARG_VALUE, ERR_OUT_OF_RANGE, ERR_SOCKET_BAD_PORT, ERR_MISSING_ARGS,
  ERR_INVALID_ADDRESS_FAMILY, ERR_SERVER_ALREADY_LISTEN, ERR_SERVER_NOT_RUNNING, ERR_SOCKET_CLOSED,
  ERR_SOCKET_CLOSED_BEFORE_CONNECTION, ERR_SOCKET_CONNECTION_TIMEOUT, ERR_INVALID_IP_ADDRESS, ERR_INVALID_FD_TYPE,
  ERR_INVALID_HANDLE_TYPE, ERR_IP_BLOCKED,
  errnoException, exceptionWithHostPort, uvExceptionWithHostPort, AbortError,
  validateNumber, validateInt32, validateUint32, validateBoolean, validateFunction, validateString, validateObject,
  validateAbortSignal, validatePort, validateBlockList,
};

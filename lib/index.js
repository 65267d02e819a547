'use strict';
// PLACEHOLDER while the native layer is written: re-exports core net so harnesses can be built against it.
module.exports = require('net');

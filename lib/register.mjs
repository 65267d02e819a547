// fastnet/register for `node --import fastnet/register app.mjs`: the same as `node -r fastnet/register`
// (register.js), which swaps net for fastnet in CommonJS and ESM alike.
import './register.js';

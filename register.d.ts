// fastnet/register swaps `net` for fastnet in the modules loaded after it: load it first, with
// `node -r fastnet/register` or `node --import fastnet/register` (a static `import 'fastnet/register'` runs after
// the other imports of its module are resolved). It exports nothing.
export {};

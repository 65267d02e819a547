// fastnet/register swaps `net` for fastnet when loaded (node -r fastnet/register, node --import
// fastnet/register, or import 'fastnet/register'); it exports nothing.
export {};

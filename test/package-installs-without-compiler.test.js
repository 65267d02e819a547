'use strict';
// Scenario: a new user's app installs the packed package with `npm install --strict-allow-scripts` and no
// compiler on PATH. The package is packed (npm pack, with its prepack check) from a copy of this checkout
// whose prebuilds/ holds this machine's binary, made by `npm run prebuilds` (the repo's own prebuilds/ and
// build/ are not touched). Then, in the app:
//  - the install runs no script, builds nothing and warns about no install script;
//  - require('fastnet') and ESM named imports of every core net name echo data, with the prebuilt binary;
//  - `node -r fastnet/register` and `node --import fastnet/register` make an unmodified dependency's
//    require('net') / import 'net' return fastnet (instanceof), and without the flag it gets core's;
//  - a TypeScript file that misuses the API fails `tsc --strict`, a correct one passes (typescript and
//    @types/node are this repo's devDependencies);
//  - without the binary, require('fastnet') says what to run, and that command (with a compiler) works;
//  - every relative link in the packed README points at a file in the package.

const test = require('node:test');
const assert = require('node:assert');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const coreNet = require('node:net');
require('./helpers');   // the watchdog
const { ROOT, NPM, cleanEnv, run, ok, npm, onPath, stageCopy, write } = require('./package-helpers');
const { libc } = require('../lib/load-addon');

const HOST = `${process.platform}-${process.arch}`;
const LIBC = libc();
const PREBUILD = `prebuilds/${HOST}/node.napi.${LIBC ? `${LIBC}.` : ''}node`;
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const TYPES_NODE = path.join(ROOT, 'node_modules', '@types', 'node');

const ECHO_CJS = `
const net = require('fastnet');
const server = net.createServer((socket) => socket.pipe(socket));
server.listen(0, '127.0.0.1', () => {
  const client = net.connect(server.address().port, '127.0.0.1', () => client.end('hello from require'));
  let got = '';
  client.setEncoding('utf8');
  client.on('data', (d) => { got += d; });
  client.on('close', () => {
    server.close();
    console.log(JSON.stringify({
      got,
      fastnetSocket: net.Socket.prototype.isPrototypeOf(client),
      coreSocket: client instanceof require('net').Socket,
      addons: Object.keys(require.cache).filter((f) => f.endsWith('.node')),
    }));
  });
});
`;

const names = Object.keys(coreNet);
const ECHO_MJS = `
import { ${names.join(', ')} } from 'fastnet';
import fastnet from 'fastnet';
const named = { ${names.join(', ')} };
const server = createServer((socket) => socket.pipe(socket));
server.listen(0, '127.0.0.1', () => {
  const client = connect(server.address().port, '127.0.0.1', () => client.end('hello from import'));
  let got = '';
  client.setEncoding('utf8');
  client.on('data', (d) => { got += d; });
  client.on('close', () => {
    server.close();
    console.log(JSON.stringify({
      got,
      sameAsDefault: Object.keys(named).filter((k) => named[k] === fastnet[k]),
      fastnetSocket: client instanceof Socket && Socket === fastnet.Socket,
    }));
  });
});
`;

// An unmodified dependency: it knows nothing of fastnet.
const DEP = {
  'package.json': JSON.stringify({ name: 'dep-uses-net', version: '1.0.0', main: 'index.js' }),
  'index.js': "'use strict';\nconst net = require('net');\nmodule.exports = { net, nodeNet: require('node:net') };\n",
  'esm.mjs': "import net, { createServer } from 'net';\nimport * as nodeNet from 'node:net';\nexport { net, createServer, nodeNet };\n",
};

// What the dependency got, and an echo through it.
const USES_DEP_CJS = `
const fastnet = require('fastnet');
const { net, nodeNet } = require('dep-uses-net');
const server = net.createServer((s) => s.pipe(s));
server.listen(0, '127.0.0.1', () => {
  const client = net.connect(server.address().port, '127.0.0.1', () => client.end('through the dependency'));
  let got = '';
  client.setEncoding('utf8');
  client.on('data', (d) => { got += d; });
  client.on('close', () => {
    server.close();
    console.log(JSON.stringify({
      got,
      socket: fastnet.Socket.prototype.isPrototypeOf(client),
      server: fastnet.Server.prototype.isPrototypeOf(server),
      nodeNet: nodeNet === fastnet,
    }));
  });
});
`;

const USES_DEP_MJS = `
import fastnet from 'fastnet';
import { net, createServer, nodeNet } from 'dep-uses-net/esm.mjs';
const server = createServer();
console.log(JSON.stringify({
  server: fastnet.Server.prototype.isPrototypeOf(server),
  socket: fastnet.Socket.prototype.isPrototypeOf(new net.Socket()),
  nodeNet: nodeNet.Socket === fastnet.Socket,
}));
`;

const TS_GOOD_MTS = `
import net, { createServer, connect, Socket, Server, type AddressInfo } from 'fastnet';
import 'fastnet/register';

const server: Server = createServer({ allowHalfOpen: false }, (socket: Socket) => { socket.pipe(socket); });
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  const client: net.Socket = connect({ port, host: '127.0.0.1' }, () => client.end('hi'));
  client.setNoDelay(true).setKeepAlive(true, 1000);
  client.on('data', (data: Buffer) => console.log(data.toString('utf8')));
  client.on('close', (hadError: boolean) => { if (!hadError) server.close(); });
});
const same: typeof import('node:net').createConnection = net.createConnection;
console.log(typeof same, net.isIP('::1'));
`;

const TS_GOOD_CTS = `
import fastnet = require('fastnet');
const socket: import('node:net').Socket = new fastnet.Socket();
socket.destroy();
`;

// Each misuse is on a line of its own, to check that tsc reports each.
const TS_BAD_MTS = [
  "import { createServer, connect } from 'fastnet';",
  "connect({ port: 'eighty', host: 'localhost' });",
  'connect(80).write(42);',
  'console.log(createServer().address().port);',
  '',
].join('\n');

test('npm pack, then npm install --strict-allow-scripts in a fresh app with no compiler on PATH', { timeout: 120000 }, async (t) => {
  assert.ok(NPM, 'npm-cli.js not found');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fastnet-package-'));
  t.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const stage = stageCopy(path.join(tmp, 'fastnet'));

  // This machine's binary, then the tarball (prepack checks the binary is built from these sources).
  await npm(['run', 'prebuilds', '--', `${HOST}${LIBC ? `-${LIBC}` : ''}`], { cwd: stage, timeout: 120000 });
  const packed = await npm(['pack', '--json', '--pack-destination', tmp], { cwd: stage });
  const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('[')));
  const tarball = path.join(tmp, info.filename);
  const files = info.files.map((f) => f.path).sort();

  await t.test('the tarball holds the package and nothing of the repo', () => {
    assert.ok(files.includes(PREBUILD), `${PREBUILD} not in ${files.join(' ')}`);
    for (const f of ['package.json', 'README.md', 'LICENSE', 'index.d.ts', 'register.d.ts', 'lib/index.js',
      'lib/register.js', 'lib/register.mjs', 'binding.gyp']) {
      assert.ok(files.includes(f), `${f} missing from the tarball`);
    }
    const allowed = /^(package\.json|README\.md|LICENSE|index\.d\.ts|register\.d\.ts|binding\.gyp|lib\/.+\.(c?js|mjs|json)|src\/.+\.[ch]|prebuilds\/.+|bench\/results\/latest\.(md|svg))$/;
    assert.deepStrictEqual(files.filter((f) => !allowed.test(f)), []);
    const pkg = JSON.parse(fs.readFileSync(path.join(stage, 'package.json'), 'utf8'));
    for (const s of ['preinstall', 'install', 'postinstall', 'prepare']) assert.strictEqual(pkg.scripts[s], undefined, s);
    assert.strictEqual(pkg.gypfile, false);
  });

  await t.test('every relative link in the packed README is a file of the package', () => {
    const readme = fs.readFileSync(path.join(stage, 'README.md'), 'utf8');
    const links = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((l) => !/^[a-z]+:|^#/.test(l));
    assert.ok(links.length > 0);
    for (const link of links) assert.ok(files.includes(path.posix.normalize(link.split('#')[0])), `README links to ${link}`);
    assert.match(readme, /npm install fastnet/);
    assert.match(readme, /node -r fastnet\/register/);
  });

  // The dependency, packed like any package from the registry.
  const depDir = path.join(tmp, 'dep-uses-net');
  write(depDir, DEP);
  const depPacked = await npm(['pack', '--json', '--pack-destination', tmp], { cwd: depDir });
  const depTarball = path.join(tmp, JSON.parse(depPacked.stdout.slice(depPacked.stdout.indexOf('[')))[0].filename);

  // PATH: node and the shell's basics, no cc, gcc, make, python3.
  const bin = path.join(tmp, 'bin');
  fs.mkdirSync(bin);
  fs.symlinkSync(process.execPath, path.join(bin, 'node'));
  for (const tool of ['sh', 'env', 'cat', 'ls', 'rm', 'mkdir']) {
    const where = onPath(tool);
    if (where) fs.symlinkSync(where, path.join(bin, tool));
  }
  const noCompiler = cleanEnv({ PATH: bin });
  const probe = spawnSync('/bin/sh', ['-c', 'for t in cc gcc g++ make python3 c++ clang; do command -v $t; done; true'],
    { env: noCompiler, encoding: 'utf8' });
  assert.strictEqual(probe.stdout, '', `a build tool is on PATH: ${probe.stdout}`);

  const app = path.join(tmp, 'app');
  write(app, {
    'package.json': JSON.stringify({ name: 'app', version: '1.0.0', private: true }),
    'echo.cjs': ECHO_CJS,
    'echo.mjs': ECHO_MJS,
    'uses-dep.cjs': USES_DEP_CJS,
    'uses-dep.mjs': USES_DEP_MJS,
  });
  const node = (args) => ok(process.execPath, args, { cwd: app, env: noCompiler, timeout: 20000 });

  await t.test('npm install --strict-allow-scripts: no script, no build, no warning', async () => {
    const r = await npm(['install', '--strict-allow-scripts', '--offline', '--no-audit', '--no-fund', tarball, depTarball],
      { cwd: app, env: noCompiler, timeout: 60000 });
    assert.doesNotMatch(r.out, /allowScripts|install-scripts|install script|node-gyp|gyp/i, r.out);
    assert.ok(fs.existsSync(path.join(app, 'node_modules', 'fastnet', PREBUILD)));
    assert.ok(!fs.existsSync(path.join(app, 'node_modules', 'fastnet', 'build')), 'something was built at install');
    const lock = JSON.parse(fs.readFileSync(path.join(app, 'package-lock.json'), 'utf8'));
    assert.strictEqual(lock.packages['node_modules/fastnet'].hasInstallScript, undefined);
  });

  await t.test("require('fastnet') echoes data with the prebuilt binary", async () => {
    const r = JSON.parse((await node(['echo.cjs'])).stdout);
    assert.strictEqual(r.got, 'hello from require');
    assert.strictEqual(r.fastnetSocket, true);
    assert.strictEqual(r.coreSocket, false);
    assert.deepStrictEqual(r.addons, [path.join(fs.realpathSync(app), 'node_modules', 'fastnet', PREBUILD)]);
  });

  await t.test('ESM named imports of every core net name echo data', async () => {
    const r = JSON.parse((await node(['echo.mjs'])).stdout);
    assert.strictEqual(r.got, 'hello from import');
    assert.deepStrictEqual(r.sameAsDefault, names);
    assert.strictEqual(r.fastnetSocket, true);
  });

  await t.test("node -r fastnet/register: an unmodified dependency's require('net') is fastnet", async () => {
    const plain = JSON.parse((await node(['uses-dep.cjs'])).stdout);
    assert.deepStrictEqual(plain, { got: 'through the dependency', socket: false, server: false, nodeNet: false });
    const swapped = JSON.parse((await node(['-r', 'fastnet/register', 'uses-dep.cjs'])).stdout);
    assert.deepStrictEqual(swapped, { got: 'through the dependency', socket: true, server: true, nodeNet: true });
  });

  await t.test("node --import fastnet/register (and -r): a dependency's import from 'net' is fastnet", async () => {
    const plain = JSON.parse((await node(['uses-dep.mjs'])).stdout);
    assert.deepStrictEqual(plain, { server: false, socket: false, nodeNet: false });
    for (const flag of ['--import', '-r']) {
      const r = await node([flag, 'fastnet/register', 'uses-dep.mjs']);
      assert.deepStrictEqual(JSON.parse(r.stdout), { server: true, socket: true, nodeNet: true }, flag);
      assert.strictEqual(r.stderr, '', `${flag}: ${r.stderr}`);
    }
  });

  await t.test('tsc --strict: a correct file passes, misuses fail', async (tt) => {
    if (!fs.existsSync(TSC) || !fs.existsSync(TYPES_NODE)) {
      tt.skip('typescript and @types/node are not installed: run npm install (they are devDependencies)');
      return;
    }
    write(app, { 'good.mts': TS_GOOD_MTS, 'good.cts': TS_GOOD_CTS, 'bad.mts': TS_BAD_MTS });
    fs.mkdirSync(path.join(app, 'node_modules', '@types'), { recursive: true });
    fs.symlinkSync(TYPES_NODE, path.join(app, 'node_modules', '@types', 'node'));
    const tsc = (files) => run(process.execPath, [TSC, '--strict', '--noEmit', '--module', 'nodenext', '--target', 'es2022',
      '--types', 'node', '--pretty', 'false', ...files], { cwd: app, env: noCompiler, timeout: 60000 });

    const good = await tsc(['good.mts', 'good.cts']);
    assert.strictEqual(good.code, 0, good.out);

    const bad = await tsc(['bad.mts']);
    assert.notStrictEqual(bad.code, 0, bad.out);
    assert.doesNotMatch(bad.out, /TS7016/, 'fastnet has no types');
    const lines = [...bad.out.matchAll(/^bad\.mts\((\d+),\d+\): error TS\d+/gm)].map((m) => m[1]);
    assert.deepStrictEqual([...new Set(lines)], ['2', '3', '4'], bad.out);
    assert.match(bad.out, /bad\.mts\(4,\d+\): error TS(2531|18047): .*possibly 'null'/, bad.out);   // --strict's null checks
  });

  await t.test('without its binary, require says what to run, and that command builds it', async () => {
    const pkgDir = path.join(app, 'node_modules', 'fastnet');
    fs.renameSync(path.join(pkgDir, 'prebuilds'), path.join(pkgDir, 'prebuilds-away'));
    const r = await run(process.execPath, ['-e', "require('fastnet')"], { cwd: app, env: noCompiler });
    assert.notStrictEqual(r.code, 0);
    assert.match(r.stderr, /fastnet: no native addon for /);
    assert.match(r.stderr, /npm explore fastnet -- npm run build/);
    assert.match(r.stderr, /ERR_FASTNET_NO_ADDON/);

    // The fallback, where there is a compiler: the command the message gives, as a user types it, then the echo.
    const command = /^ {4}(npm explore fastnet -- npm run build)$/m.exec(r.stderr)[1];
    await ok('sh', ['-c', command], { cwd: app, env: cleanEnv(), timeout: 120000 });
    const built = JSON.parse((await node(['echo.cjs'])).stdout);
    assert.strictEqual(built.got, 'hello from require');
    assert.deepStrictEqual(built.addons, [path.join(fs.realpathSync(app), 'node_modules', 'fastnet', 'build', 'Release', 'fastnet.node')]);
  });
});

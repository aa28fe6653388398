// Needs: nothing running; npm's cache filled by `npm ci` (the install takes its packages from there).
// faultline as a user installs it: the project packed with `npm pack` (prepack builds dist/), the
// tarball installed into an empty project elsewhere, and its `npx faultline` used with no access to
// the source tree: --version, validate on a copied scenario, a memory run that writes its report.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers/services.js';

const work = mkdtempSync(path.join(tmpdir(), 'faultline-pack-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const run = (cmd: string, args: string[], cwd: string) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false' } });

describe('the installable package', () => {
  it('npm pack → npm install <tarball> in an empty project → npx faultline runs a scenario and writes its report', () => {
    // Packed from a copy, so the build's dist/ never lands in the checkout (bin/ would prefer it to src/).
    const copy = path.join(work, 'source');
    mkdirSync(copy);
    for (const f of readdirSync(ROOT)) if (!['node_modules', 'dist', '.git', '.services', 'reports', 'coverage'].includes(f) && !f.startsWith('.')) cpSync(path.join(ROOT, f), path.join(copy, f), { recursive: true });
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'));
    const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], copy)) as { filename: string; files: { path: string }[] }[];
    const files = packed[0].files.map((f) => f.path);
    expect(files).toContain('dist/cli/main.js');
    expect(files).toContain('bin/faultline.js');
    expect(files).toContain('scripts/services.sh');
    expect(files).toContain('schema/scenario.schema.json');
    expect(files).toContain('scenarios/quickstart-memory.yaml');
    // no tests, no TypeScript sources
    expect(files.filter((f) => f.endsWith('.test.ts') || f.endsWith('.test.js') || f.startsWith('src/') || f.startsWith('test/'))).toEqual([]);

    const app = path.join(work, 'app');
    mkdirSync(app);
    writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'some-service', version: '1.0.0', private: true }));
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', path.join(work, packed[0].filename)], app);
    const installed = path.join(app, 'node_modules', 'faultline');
    expect(existsSync(path.join(installed, 'src'))).toBe(false);
    // tsx is a dev dependency: an installed faultline runs without it
    expect(existsSync(path.join(app, 'node_modules', 'tsx'))).toBe(false);

    const version = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version as string;
    expect(run('npx', ['--no-install', 'faultline', '--version'], app).trim()).toBe(version);
    cpSync(path.join(installed, 'scenarios', 'quickstart-memory.yaml'), path.join(app, 'smoke.yaml'));
    const short = readFileSync(path.join(app, 'smoke.yaml'), 'utf8').replace(/duration: \w+/, 'duration: 2s');
    writeFileSync(path.join(app, 'smoke.yaml'), short);
    expect(run('npx', ['--no-install', 'faultline', 'validate', 'smoke.yaml'], app)).toBe('ok smoke.yaml\n');
    run('npx', ['--no-install', 'faultline', 'run', 'smoke.yaml', '--out', 'reports'], app);
    const [runDir] = readdirSync(path.join(app, 'reports'));
    expect(readFileSync(path.join(app, 'reports', runDir, 'report.html'), 'utf8')).toContain('PASSED');
    // the CLI ran on the Node.js this test runs on (the Node 24 pass puts its own first on PATH)
    expect(JSON.parse(readFileSync(path.join(app, 'reports', runDir, 'result.json'), 'utf8')).environment.node).toBe(process.version);
    // services.sh from the package keeps its state in the project, not in node_modules
    run('bash', [path.join(installed, 'scripts', 'services.sh'), 'status'], app);
    expect(existsSync(path.join(installed, '.services'))).toBe(false);
  }, 240_000);
});

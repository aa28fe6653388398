// junit.xml: one test case per gate (failures carry value and threshold), so CI systems show them.
import { gateWord } from './words.js';
import type { RunResult } from '../result.js';

const xml = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    // eslint-disable-next-line no-control-regex -- XML 1.0 allows no control characters but tab, CR and LF: they are removed
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '');

export function renderJunit(r: RunResult): string {
  const suite = `faultline.${r.runId.replace(/-\d{8}-\d{6}(-\d+)?$/, '')}.${r.target.name}`;
  const cases: string[] = [];
  let failures = 0;
  for (const g of r.gates) {
    const name = `${g.phase ? `[${g.phase}] ` : ''}${g.expr}`;
    if (g.passed) cases.push(`    <testcase classname="${xml(suite)}" name="${xml(name)}"/>`);
    else {
      failures++;
      const msg = g.value === null ? (g.error ?? 'no value') : `value ${g.value}, threshold ${g.expr.replace(/^.*?(<=|>=|==|!=|<|>)\s*/, '$1 ')}`;
      const type = gateWord(g) === 'unknown' ? 'unknown-verdict' : 'gate';
      cases.push(`    <testcase classname="${xml(suite)}" name="${xml(name)}">\n      <failure message="${xml(msg)}" type="${type}">${xml(`${g.expr}: ${msg}`)}</failure>\n    </testcase>`);
    }
  }
  // Checkers that could not judge (unknown gates are above, each with its own case).
  for (const [checker, v] of Object.entries(r.verdicts ?? {}).filter(([, v]) => v.valid === 'unknown')) {
    const u = `${checker}: ${v.why ?? 'unknown'}`;
    failures++;
    cases.push(`    <testcase classname="${xml(suite)}" name="checker">\n      <failure message="${xml(u)}" type="unknown-verdict"/>\n    </testcase>`);
  }
  const errors = r.status === 'error' || r.status === 'aborted' ? 1 : 0;
  if (errors) cases.push(`    <testcase classname="${xml(suite)}" name="run">\n      <error message="${xml(`run ${r.status}${r.error ? `: ${r.error}` : ''}`)}"/>\n    </testcase>`);
  const tests = cases.length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="faultline" tests="${tests}" failures="${failures}" errors="${errors}" time="${(r.durationMs / 1000).toFixed(3)}">`,
    `  <testsuite name="${xml(suite)}" tests="${tests}" failures="${failures}" errors="${errors}" time="${(r.durationMs / 1000).toFixed(3)}" timestamp="${xml(r.startedAt)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

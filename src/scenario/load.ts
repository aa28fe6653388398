// Reads a scenario file: YAML with source positions, ${ENV} interpolation, --set overrides, strict validation.
import { readFileSync, statSync } from 'node:fs';
import { isMap, isScalar, LineCounter, parseDocument, parse as parseYaml, visit, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { ScenarioError } from '../errors.js';
import { scenarioSchema, type Scenario } from './schema.js';

export interface LoadOptions {
  /** `path=value` overrides, e.g. `workload.rate=2k/s`. */
  set?: string[];
  env?: Record<string, string | undefined>;
}

export interface LoadedScenario {
  scenario: Scenario;
  file: string;
  /** The scenario as written, after interpolation and overrides (before defaults). */
  raw: unknown;
  /** file:line:col of a field path (of its nearest written parent when the field was defaulted). */
  locate: (path: (string | number)[]) => string;
}

type Path = (string | number)[];

class Locator {
  constructor(
    private readonly file: string,
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  at(offset: number | undefined): string {
    if (offset === undefined) return this.file;
    const { line, col } = this.lines.linePos(offset);
    return `${this.file}:${line}:${col}`;
  }

  /** The deepest node that exists along the path, and the key of a missing child. */
  node(path: Path): Node | undefined {
    for (let n = path.length; n >= 0; n--) {
      const node = this.doc.getIn(path.slice(0, n), true) as Node | undefined;
      if (node && typeof node === 'object' && 'range' in node) return node;
    }
    return this.doc.contents ?? undefined;
  }

  keyNode(path: Path, key: string): Node | undefined {
    const parent = this.doc.getIn(path, true);
    if (isMap(parent)) {
      const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === key);
      if (pair && isScalar(pair.key)) return pair.key;
    }
    return this.node(path);
  }
}

const fmtPath = (path: Path) => (path.length ? path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i ? `.${p}` : p)).join('') : '(top level)');
const fmtValue = (v: unknown) => {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
};

function describeIssue(issue: z.core.$ZodIssue, value: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      return value === undefined ? `required: expected ${issue.expected}` : `expected ${issue.expected}, found ${fmtValue(value)}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, found ${fmtValue(value)}`;
    case 'invalid_union': {
      if (issue.message.startsWith('expected ')) return value === undefined ? `required: ${issue.message}` : `${issue.message}, found ${fmtValue(value)}`;
      const opts = (issue as { options?: unknown[] }).options;
      if (issue.errors.length === 0 && opts) return `expected one of ${opts.map((v) => JSON.stringify(v)).join(', ')}, found ${fmtValue(value)}`;
      // Report the most specific branch: the one whose errors went deepest.
      const branches = issue.errors.filter((b) => b.length > 0);
      const best = branches.sort((a, b) => Math.max(...b.map((i) => i.path.length)) - Math.max(...a.map((i) => i.path.length)))[0];
      if (value !== undefined && best && best.some((i) => i.path.length > 0)) return best.map((i) => `${fmtPath(i.path as Path)}: ${describeIssue(i, undefined)}`).join('; ');
      const hints = issue.errors.flat().map((i) => (i.code === 'custom' ? i.message.replace(/^expected /, '') : i.code === 'invalid_type' ? `${/^[aeiou]/.test(i.expected) ? 'an' : 'a'} ${i.expected}` : i.message));
      const expected = [...new Set(hints)].join(' or ');
      return value === undefined ? `required: expected ${expected}` : `expected ${expected}, found ${fmtValue(value)}`;
    }
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
    case 'too_small':
      return `${issue.message.replace(/^Too small: /, '')}, found ${fmtValue(value)}`;
    case 'too_big':
      return `${issue.message.replace(/^Too big: /, '')}, found ${fmtValue(value)}`;
    default:
      return value === undefined ? issue.message : `${issue.message}, found ${fmtValue(value)}`;
  }
}

const getIn = (obj: unknown, path: Path): unknown => path.reduce<unknown>((o, k) => (o !== null && typeof o === 'object' ? (o as Record<string | number, unknown>)[k] : undefined), obj);

function interpolate(doc: Document, env: Record<string, string | undefined>, loc: Locator, problems: string[]): void {
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value !== 'string' || !node.value.includes('${')) return;
      const replaced = node.value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_m, name: string, dflt?: string) => {
        const v = env[name];
        if (v !== undefined && v !== '') return v;
        if (dflt !== undefined) return dflt;
        problems.push(`${loc.at(node.range?.[0])}: environment variable ${name} is not set (write \${${name}:-default} for a default)`);
        return '';
      });
      // A whole-value substitution like `${RATE}` may stand for a number or boolean.
      node.value = /^\$\{[^}]+\}$/.test(node.value) ? parseYaml(replaced === '' ? '""' : replaced) : replaced;
    },
  });
}

/** `--set duration=5s` is short for `--set workload.duration=5s`, for every workload field. */
const WORKLOAD_FIELDS = Object.keys(scenarioSchema.shape.workload.shape);

function applySet(doc: Document, sets: string[], problems: string[]): string[] {
  const paths: string[] = [];
  for (const s of sets) {
    const eq = s.indexOf('=');
    if (eq <= 0) {
      problems.push(`--set ${s}: expected path=value, e.g. workload.rate=2k/s`);
      continue;
    }
    const path = s
      .slice(0, eq)
      .split('.')
      .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    const text = s.slice(eq + 1);
    let value: unknown;
    try {
      value = parseYaml(text);
    } catch {
      value = text;
    }
    if (path.length === 1 && WORKLOAD_FIELDS.includes(String(path[0]))) path.unshift('workload');
    doc.setIn(path, value);
    paths.push(path.join('.'));
  }
  return paths;
}

/** The document as plain data; an alias without its anchor, or too many aliases, refused at its position. */
function toPlain(doc: Document, file: string, loc: Locator): unknown {
  const aliases: string[] = [];
  let first: number | undefined;
  visit(doc, {
    Alias(_key, node) {
      first ??= node.range?.[0];
      const source = node.resolve(doc);
      const at = node.range?.[0] ?? 0;
      if (!source) aliases.push(`${loc.at(at)}: YAML: unresolved alias *${node.source} (the anchor &${node.source} must be set before the alias)`);
      else if (source.range && source.range[0] <= at && at < source.range[1]) aliases.push(`${loc.at(at)}: YAML: alias *${node.source} inside the node it names (a cycle)`);
    },
  });
  if (aliases.length) throw new ScenarioError(`${file} is not valid YAML`, aliases);
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    // e.g. aliases that expand past the limit (a "billion laughs")
    throw new ScenarioError(`${file} is not valid YAML`, [`${loc.at(first)}: YAML: ${(err as Error).message}`]);
  }
}

/** Parses and validates scenario text; throws ScenarioError with every problem, each with file:line:col. */
export function parseScenario(text: string, file: string, opts: LoadOptions = {}): LoadedScenario {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const loc = new Locator(file, doc, lines);
  const problems: string[] = [];
  for (const e of doc.errors) problems.push(`${loc.at(e.pos[0])}: YAML: ${e.message.split('\n')[0]}`);
  if (problems.length) throw new ScenarioError(`${file} is not valid YAML`, problems);
  if (!isMap(doc.contents)) throw new ScenarioError(`${file}: a scenario is a YAML mapping (name, targets, workload, ...)`, [`${loc.at(0)}: expected a mapping at the top level`]);

  interpolate(doc, opts.env ?? process.env, loc, problems);
  const setPaths = applySet(doc, opts.set ?? [], problems);
  const raw = toPlain(doc, file, loc);
  const parsed = scenarioSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path as Path;
      const node = issue.code === 'unrecognized_keys' ? loc.keyNode(path, issue.keys[0]) : loc.node(path);
      const joined = path.join('.');
      const fromSet = setPaths.find((p) => joined === p || joined.startsWith(`${p}.`));
      const where = fromSet ? `--set ${fromSet}` : loc.at(node?.range?.[0]);
      problems.push(`${where}: ${fmtPath(path)}: ${describeIssue(issue, getIn(raw, path))}`);
    }
  }
  if (problems.length) throw new ScenarioError(`${file} has ${problems.length} problem${problems.length > 1 ? 's' : ''}`, problems, 'faultline schema prints every field; docs/scenario-reference.md describes them');
  const locate = (path: Path) => {
    const joined = path.join('.');
    const fromSet = setPaths.find((p) => joined === p || joined.startsWith(`${p}.`));
    return fromSet ? `--set ${fromSet}` : loc.at(loc.node(path)?.range?.[0]);
  };
  return { scenario: parsed.data!, file, raw, locate };
}

/** A scenario is a page or two of YAML: a file past this is refused before it is parsed. */
export const MAX_SCENARIO_BYTES = 1024 * 1024;

export function loadScenarioFile(file: string, opts: LoadOptions = {}): LoadedScenario {
  let text: string;
  try {
    if (statSync(file).size > MAX_SCENARIO_BYTES) throw new ScenarioError(`${file}: a scenario file is at most 1 MiB; this one is ${statSync(file).size} bytes`);
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof ScenarioError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new ScenarioError(`cannot read scenario ${file}: ${code === 'ENOENT' ? 'no such file' : (code ?? String(err))}`);
  }
  return parseScenario(text, file, opts);
}

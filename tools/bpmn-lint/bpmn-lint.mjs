// node tools/bpmn-lint/bpmn-lint.mjs FILE.bpmn...
// Checks BPMN files the way Camunda Modeler sees them, with the packages pinned in package.json:
//   1. import with bpmn-moddle + the Camunda 7 extension schema: every import warning (unknown
//      element or attribute, broken reference) and every file that cannot be read is an error;
//   2. bpmnlint with the rules of the project's .bpmnlintrc (recommended: the linter built into
//      Camunda Modeler, which also reports every element without a diagram shape, rule no-bpmndi).
// Prints one line per finding, `file:line: element-id: Fehler|Warnung: message (rule)`.
// Exit status 0 only when no file has an error (bpmnlint warnings are printed but do not fail),
// 1 when one has, 2 on wrong usage or missing packages (`make install` installs them).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const requireFromRoot = createRequire(join(ROOT, 'package.json'));

function load(name) {
  try {
    return requireFromRoot(name);
  } catch (e) {
    console.error(`bpmn-lint: Paket ${name} fehlt (${e.code}) – bitte \`make install\` (npm ci) ausführen`);
    process.exit(2);
  }
}

const { BpmnModdle } = load('bpmn-moddle');
const camunda = load('camunda-bpmn-moddle/resources/camunda.json');
const { Linter } = load('bpmnlint');
const NodeResolver = load('bpmnlint/lib/resolver/node-resolver');

/** Line of the element's `id="..."` attribute in the source, else the line named in the message, else 1. */
function lineOf(xml, id, message = '') {
  if (id) {
    const at = xml.search(new RegExp(`\\sid\\s*=\\s*["']${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']`));
    if (at >= 0) return xml.slice(0, at).split('\n').length;
  }
  const named = /line:\s*(\d+)/.exec(message);
  return named ? Math.max(1, Number(named[1])) : 1;
}

/** Import warnings of `xml` under `moddle` as findings; a file that cannot be parsed is one finding. */
async function importFindings(moddle, xml, what) {
  try {
    const { rootElement, warnings } = await moddle.fromXML(xml);
    const findings = warnings.map((w) => finding(xml, w.element?.id, 'error', w.message.split('\n')[0], what, w.message));
    return { rootElement, findings };
  } catch (e) {
    const message = `Datei kann nicht gelesen werden: ${e.message.split('\n')[0]}`;
    return { findings: [finding(xml, '', 'error', message, what, e.message)] };
  }
}

function finding(xml, id, category, message, rule, rawMessage = '') {
  return { line: lineOf(xml, id, rawMessage), id: id || '-', category, message, rule };
}

/** `list` without the findings that say the same about the same element as one in `seen`. */
function unseen(list, seen) {
  const keys = new Set(seen.map((f) => `${f.id}|${f.message}`));
  return list.filter((f) => !keys.has(`${f.id}|${f.message}`));
}

async function lintFile(file, config) {
  const xml = readFileSync(file, 'utf8');
  // 1. The Camunda model layer of the Modeler.
  const camundaImport = await importFindings(new BpmnModdle({ camunda }), xml, 'Camunda-Import');
  // 2. bpmnlint, parsing like its command line does (plain bpmn-moddle, import warnings are errors;
  //    those the Camunda import already reported are not repeated).
  const plain = await importFindings(new BpmnModdle(), xml, 'bpmnlint-Import');
  const findings = [...camundaImport.findings, ...unseen(plain.findings, camundaImport.findings)];
  if (plain.rootElement) {
    const linter = new Linter({ config, resolver: new NodeResolver({ require: requireFromRoot }) });
    const reports = await linter.lint(plain.rootElement);
    for (const [rule, list] of Object.entries(reports)) {
      for (const r of list) {
        const where = r.path ? `${r.id}#${r.path.join('.')}` : r.id;
        findings.push({ ...finding(xml, r.id, r.category, r.message, r.name || rule), id: where || '-' });
      }
    }
  }
  return findings.sort((a, b) => a.line - b.line);
}

const files = process.argv.slice(2);
if (!files.length) {
  console.error('usage: node tools/bpmn-lint/bpmn-lint.mjs FILE.bpmn...');
  process.exit(2);
}
const config = JSON.parse(readFileSync(join(ROOT, '.bpmnlintrc'), 'utf8'));
let errors = 0;
let warnings = 0;
let failedFiles = 0;
for (const file of files) {
  let findings;
  try {
    findings = await lintFile(file, config);
  } catch (e) {
    findings = [{ line: 1, id: '-', category: 'error', message: `Prüfung abgebrochen: ${e.message}`, rule: '' }];
  }
  let fileErrors = 0;
  for (const f of findings) {
    const isError = f.category === 'error';
    if (isError) fileErrors++; else warnings++;
    const rule = f.rule ? ` (${f.rule})` : '';
    console.log(`${file}:${f.line}: ${f.id}: ${isError ? 'Fehler' : 'Warnung'}: ${f.message}${rule}`);
  }
  errors += fileErrors;
  if (fileErrors) failedFiles++;
}
console.log(`bpmn-lint: ${errors} Fehler, ${warnings} Warnungen in ${files.length} Dateien` +
  (failedFiles ? ` (${failedFiles} mit Fehlern)` : ''));
process.exit(errors ? 1 : 0);

// Regenerates uap-browsers.tsv and uap-systems.tsv from a ua-parser/uap-core checkout (or bare clone):
//   node tests/Orleans.Sessions.Devices.Tests/UserAgents/uap-fixtures.mjs /path/to/uap-core
// The fixtures hold the expected family and the user agent of uap-core's test cases (Apache-2.0): every row of
// tests/test_ua.yaml, tests/test_os.yaml and test_resources/additional_os_tests.yaml, and the rows of
// test_resources/{firefox_user_agent_strings,opera_mini_user_agent_strings,pgts_browser_list}.yaml whose family
// is mainstream (the rest of those lists is long-tail software nobody signs on from). Versions are left out.
// Needs node ≥ 18 and git; no packages (the YAML of those files is one flat list, read line by line).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MainstreamBrowsers = new Set([
  'Chrome', 'Chrome Mobile', 'Chrome Mobile iOS', 'Chrome Mobile WebView', 'Chromium',
  'Firefox', 'Firefox Mobile', 'Firefox iOS', 'Safari', 'Mobile Safari', 'Mobile Safari UI/WKWebView',
  'Edge', 'Edge Mobile', 'Opera', 'Opera Mobile', 'Opera Mini', 'Samsung Internet', 'UC Browser', 'Yandex Browser',
  'IE', 'IE Mobile', 'Amazon Silk', 'Brave', 'Vivaldi', 'Android', 'DuckDuckGo Mobile', 'Whale', 'Coc Coc',
  'QQ Browser', 'QQ Browser Mobile', 'MiuiBrowser', 'Huawei Browser',
  'Facebook', 'Instagram', 'Pinterest', 'Snapchat', 'Twitter', 'LINE', 'WeChat Browser',
]);

const source = process.argv[2];
if (!source) {
  console.error('usage: node uap-fixtures.mjs <uap-core checkout or bare git dir>');
  process.exit(2);
}

const worktree = existsSync(join(source, 'tests', 'test_ua.yaml'));
const git = (...args) => execFileSync('git', worktree ? ['-C', source, ...args] : ['--git-dir', source, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
const read = path => (worktree ? readFileSync(join(source, path), 'utf8') : git('show', `HEAD:${path}`));
const commit = git('rev-parse', 'HEAD').trim();

function scalar(text) {
  text = text.trim();
  if (text === '') return null;
  if (text.startsWith("'")) {
    if (!text.endsWith("'") || text.length < 2) throw new Error(`unterminated ${text}`);
    return text.slice(1, -1).replaceAll("''", "'");
  }
  if (text.startsWith('"')) {
    if (!text.endsWith('"') || text.length < 2) throw new Error(`unterminated ${text}`);
    return JSON.parse(text.replace(/\\x([0-9a-fA-F]{2})/g, '\\u00$1'));
  }
  return text;
}

function cases(path) {
  const list = [];
  for (const line of read(path).split('\n')) {
    let m = line.match(/^\s*-\s+user_agent_string:\s*(.*)$/);
    if (m) {
      list.push({ ua: scalar(m[1]) });
      continue;
    }
    m = line.match(/^\s+(\w+):\s*(.*)$/);
    if (m && list.length > 0) {
      list.at(-1)[m[1]] = scalar(m[2]);
      continue;
    }
    if (line.trim() === '' || line.trim().startsWith('#') || line.startsWith('test_cases:')) continue;
    throw new Error(`${path}: unexpected line ${line}`);
  }
  return list;
}

const here = dirname(fileURLToPath(import.meta.url));
function write(file, title, sources) {
  const rows = [];
  let skipped = 0;
  for (const [name, path, keep] of sources) {
    for (const c of cases(path)) {
      if (!keep(c.family)) continue;
      if (/[\t\r\n]/.test(c.ua) || c.ua.trim() === '') { skipped++; continue; }
      rows.push(`${c.family}\t${name}\t${c.ua}`);
    }
  }
  const header = [
    `# ${title}: expected family <TAB> source <TAB> user agent, from the test cases of ua-parser/uap-core`,
    `# (https://github.com/ua-parser/uap-core, Apache-2.0) at commit ${commit}.`,
    `# Regenerate with: node tests/Orleans.Sessions.Devices.Tests/UserAgents/uap-fixtures.mjs <uap-core checkout>`,
  ];
  writeFileSync(join(here, file), [...header, ...rows].join('\n') + '\n');
  console.log(`${file}: ${rows.length} rows${skipped ? `, ${skipped} skipped (tab or newline in the user agent)` : ''}`);
}

const all = () => true;
const mainstream = family => MainstreamBrowsers.has(family);
write('uap-browsers.tsv', 'Browser families', [
  ['test_ua', 'tests/test_ua.yaml', all],
  ['firefox', 'test_resources/firefox_user_agent_strings.yaml', mainstream],
  ['opera_mini', 'test_resources/opera_mini_user_agent_strings.yaml', mainstream],
  ['pgts', 'test_resources/pgts_browser_list.yaml', mainstream],
]);
write('uap-systems.tsv', 'Operating-system families', [
  ['test_os', 'tests/test_os.yaml', all],
  ['additional_os', 'test_resources/additional_os_tests.yaml', all],
]);

// Validates a Compose file (docker-compose.yml) without Docker, for
// tests/Orleans.Sessions.Cluster.Tests/ComposeEnvironmentTests.cs and by hand:
//
//   node tests/clients/compose-file.mjs docker-compose.yml
//
// dclint checks that the file is YAML and valid against the Compose specification's JSON schema (anchors and merge
// keys resolved), plus the rules below that catch what would break `docker compose up`; its style rules are off.
// Exits 0 and prints the file as JSON with anchors and merge keys resolved (variables left as written); otherwise
// exits 1 and prints one problem a line on stderr.
import { readFileSync } from 'node:fs';
import { DCLinter } from 'dclint';
import { parse } from 'yaml';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: node compose-file.mjs <compose file>\n');
  process.exit(2);
}

const rules = {
  // Mistakes: two containers of one name, one host port published twice.
  'no-duplicate-container-names': 2,
  'no-duplicate-exported-ports': 2,
  // Choices of this project: compose builds and tags the images it runs (build and image together), the
  // gateways are published on every interface of the host, and the file is ordered by role, not alphabetically.
  'no-build-and-image': 0,
  'no-unbound-port-interfaces': 0,
  'services-alphabetical-order': 0,
  'service-dependencies-alphabetical-order': 0,
  'service-keys-order': 0,
  'service-ports-alphabetical-order': 0,
  'top-level-properties-order': 0,
  // Style only.
  'no-quotes-in-volumes': 0,
  'no-version-field': 0,
  'require-project-name-field': 0,
  'require-quotes-in-ports': 0,
  'service-container-name-regex': 0,
  'service-image-require-explicit-tag': 0,
};

const [result] = new DCLinter({ rules, quiet: true, debug: false, exclude: [] }).lintFiles([file], false);
const problems = (result?.messages ?? []).filter((m) => m.type === 'error');
if (!result || problems.length > 0) {
  const lines = result ? problems.map((m) => `${file}:${m.line}: ${m.rule}: ${m.message}`) : [`${file}: not linted`];
  process.stderr.write(`${lines.join('\n')}\n`);
  process.exit(1);
}
process.stdout.write(JSON.stringify(parse(readFileSync(file, 'utf8'), { merge: true })));

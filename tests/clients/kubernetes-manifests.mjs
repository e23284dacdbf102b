// Validates the Kubernetes manifests of a kustomization folder (deploy/kubernetes) without a cluster, for
// tests/Orleans.Sessions.Cluster.Tests/DeploymentManifestTests.cs and by hand (deploy/kubernetes/README.md):
//
//   node tests/clients/kubernetes-manifests.mjs deploy/kubernetes
//
// - kustomization.yaml uses only the fields this script understands, and lists every manifest of the folder
//   (*.example.yaml excepted: those are examples, validated but never listed, so they are never applied);
// - every object is checked against the schema of its apiVersion and kind by kubernetes-models (the Kubernetes
//   OpenAPI schemas compiled to validators): types, required fields, enums, formats. A kind it does not know is an
//   error. It does not reject unknown fields; the tests check the fields the service depends on;
// - what the API server or the kubelet would refuse later: selectors that do not match their pod templates, probes
//   and Services naming ports no container has, references to ConfigMaps, Secrets (keys included), ServiceAccounts
//   and Roles that the folder does not define, duplicate names and environment variables.
// Exits 0 and prints { "resources": [{ "file", "object" }], "examples": [...] } as JSON; otherwise exits 1 and prints
// one problem a line on stderr.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';

const folder = process.argv[2];
if (!folder) {
  process.stderr.write('usage: node kubernetes-manifests.mjs <kustomization folder>\n');
  process.exit(2);
}

const problems = [];
const problem = (where, message) => problems.push(`${where}: ${message}`);

function parseFile(file) {
  const documents = parseAllDocuments(readFileSync(join(folder, file), 'utf8'));
  const objects = [];
  documents.forEach((document, index) => {
    for (const error of [...document.errors, ...document.warnings]) {
      problem(`${file}#${index}`, `YAML: ${error.message}`);
    }
    const value = document.toJS();
    if (value !== null && value !== undefined) {
      objects.push(value);
    }
  });
  return objects;
}

// kustomization.yaml: the fields used here and nothing else, so that no transformation goes unchecked.
const kustomizationFile = 'kustomization.yaml';
const [kustomization] = parseFile(kustomizationFile);
const kustomizationFields = new Set(['apiVersion', 'kind', 'namespace', 'resources', 'images']);
if (kustomization?.apiVersion !== 'kustomize.config.k8s.io/v1beta1' || kustomization?.kind !== 'Kustomization') {
  problem(kustomizationFile, 'is not a kustomize.config.k8s.io/v1beta1 Kustomization');
}
for (const field of Object.keys(kustomization ?? {})) {
  if (!kustomizationFields.has(field)) {
    problem(kustomizationFile, `field "${field}" is not one this validator checks (${[...kustomizationFields].join(', ')})`);
  }
}
const listed = kustomization?.resources ?? [];
if (!Array.isArray(listed) || listed.some((r) => typeof r !== 'string')) {
  problem(kustomizationFile, 'resources must be a list of file names');
}

// Every YAML file of the folder (and below) is listed, except the kustomization itself and the examples.
const yamlFiles = [];
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      walk(path);
    } else if (/\.ya?ml$/.test(name)) {
      yamlFiles.push(relative(folder, path));
    }
  }
})(folder);
const isExample = (file) => /\.example\.ya?ml$/.test(file);
for (const file of yamlFiles) {
  if (file !== kustomizationFile && !isExample(file) && !listed.includes(file)) {
    problem(file, `is not listed in ${kustomizationFile}'s resources, so kubectl apply -k would leave it out`);
  }
}
for (const file of listed) {
  if (isExample(file)) {
    problem(kustomizationFile, `lists ${file}, an example that must never be applied as it is`);
  } else if (!yamlFiles.includes(file)) {
    problem(kustomizationFile, `lists ${file}, which is not a YAML file of the folder`);
  }
}
if (typeof kustomization?.namespace !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(kustomization.namespace)) {
  problem(kustomizationFile, 'namespace must be a namespace name');
}

// Each object against its schema; the model classes are found by apiVersion and kind.
async function modelOf(apiVersion, kind) {
  try {
    const module = await import(`kubernetes-models/${apiVersion}/${kind}`);
    const model = module[kind];
    return model?.apiVersion === apiVersion && model?.kind === kind ? model : undefined;
  } catch (error) {
    if (['ERR_PACKAGE_PATH_NOT_EXPORTED', 'ERR_MODULE_NOT_FOUND'].includes(error.code)) {
      return undefined;
    }
    throw error;
  }
}

async function validateFile(file) {
  const entries = [];
  for (const object of parseFile(file)) {
    const where = `${file} ${object?.kind ?? '?'}/${object?.metadata?.name ?? '?'}`;
    if (typeof object?.apiVersion !== 'string' || typeof object?.kind !== 'string') {
      problem(where, 'has no apiVersion and kind');
      continue;
    }
    const model = await modelOf(object.apiVersion, object.kind);
    if (!model) {
      problem(where, `unknown kind ${object.kind} in ${object.apiVersion}`);
      continue;
    }
    try {
      new model(object).validate();
    } catch (error) {
      problem(where, `schema: ${error.message}`);
    }
    if (!object.metadata?.name) {
      problem(where, 'has no metadata.name');
    }
    entries.push({ file, object });
  }
  return entries;
}

const resources = [];
for (const file of listed.filter((f) => yamlFiles.includes(f) && !isExample(f))) {
  resources.push(...(await validateFile(file)));
}
const examples = [];
for (const file of yamlFiles.filter(isExample)) {
  examples.push(...(await validateFile(file)));
}

// What the API server or the kubelet would refuse only once applied.
const named = (kind, name, among = resources) => among.find((e) => e.object.kind === kind && e.object.metadata?.name === name)?.object;
const seen = new Set();
for (const { object } of resources) {
  const key = `${object.kind}/${object.metadata?.name}`;
  if (seen.has(key)) {
    problem(key, 'is defined twice');
  }
  seen.add(key);
}

const workloads = resources.filter((e) => ['Deployment', 'StatefulSet', 'DaemonSet', 'Job'].includes(e.object.kind));
const matches = (selector, labels) => Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);
const podsMatching = (selector) => workloads.filter((w) => matches(selector, w.object.spec?.template?.metadata?.labels));

for (const { file, object } of workloads) {
  const where = `${file} ${object.kind}/${object.metadata?.name}`;
  const pod = object.spec?.template?.spec ?? {};
  const selector = object.spec?.selector?.matchLabels;
  if (object.kind !== 'Job' && (!selector || !matches(selector, object.spec?.template?.metadata?.labels))) {
    problem(where, 'spec.selector.matchLabels does not match the pod template labels');
  }
  if (pod.serviceAccountName && !named('ServiceAccount', pod.serviceAccountName)) {
    problem(where, `serviceAccountName ${pod.serviceAccountName} is not defined here`);
  }
  for (const container of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) {
    const at = `${where} container ${container.name}`;
    const portNames = new Set((container.ports ?? []).map((p) => p.name).filter(Boolean));
    for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
      const port = container[probe]?.httpGet?.port;
      if (typeof port === 'string' && !portNames.has(port)) {
        problem(at, `${probe} names port ${port}, which the container does not declare`);
      }
    }
    const envNames = new Set();
    for (const variable of container.env ?? []) {
      if (envNames.has(variable.name)) {
        problem(at, `sets ${variable.name} twice`);
      }
      envNames.add(variable.name);
      const configMapKey = variable.valueFrom?.configMapKeyRef;
      if (configMapKey && !(configMapKey.key in (named('ConfigMap', configMapKey.name)?.data ?? {}))) {
        problem(at, `${variable.name} reads ConfigMap ${configMapKey.name} key ${configMapKey.key}, which is not defined here`);
      }
      const secretKey = variable.valueFrom?.secretKeyRef;
      if (secretKey) {
        const secret = named('Secret', secretKey.name) ?? named('Secret', secretKey.name, examples);
        if (!secret || !(secretKey.key in { ...secret.data, ...secret.stringData })) {
          problem(at, `${variable.name} reads Secret ${secretKey.name} key ${secretKey.key}, which neither the manifests nor an example define`);
        }
      }
    }
    for (const source of container.envFrom ?? []) {
      if (source.configMapRef && !named('ConfigMap', source.configMapRef.name)) {
        problem(at, `envFrom names ConfigMap ${source.configMapRef.name}, which is not defined here`);
      }
      if (source.secretRef && !named('Secret', source.secretRef.name) && !named('Secret', source.secretRef.name, examples)) {
        problem(at, `envFrom names Secret ${source.secretRef.name}, which is not defined here`);
      }
    }
  }
}

for (const { file, object } of resources) {
  const where = `${file} ${object.kind}/${object.metadata?.name}`;
  if (object.kind === 'Service') {
    const pods = podsMatching(object.spec?.selector);
    if (pods.length === 0) {
      problem(where, 'selects no pod template of these manifests');
    }
    for (const port of object.spec?.ports ?? []) {
      const target = port.targetPort;
      const declared = (w) => w.object.spec.template.spec.containers.some((c) => (c.ports ?? []).some((p) => p.name === target || p.containerPort === target));
      if (target !== undefined && !pods.every(declared)) {
        problem(where, `targetPort ${target} is not a port of every pod it selects`);
      }
    }
  }
  if (object.kind === 'PodDisruptionBudget' && podsMatching(object.spec?.selector?.matchLabels).length === 0) {
    problem(where, 'selects no pod template of these manifests');
  }
  if (object.kind === 'RoleBinding') {
    if (!named(object.roleRef?.kind, object.roleRef?.name)) {
      problem(where, `roleRef ${object.roleRef?.kind}/${object.roleRef?.name} is not defined here`);
    }
    for (const subject of object.subjects ?? []) {
      if (subject.kind === 'ServiceAccount' && !named('ServiceAccount', subject.name)) {
        problem(where, `subject ServiceAccount ${subject.name} is not defined here`);
      }
    }
  }
}

const images = new Set(workloads.flatMap((w) => (w.object.spec?.template?.spec?.containers ?? []).map((c) => c.image)));
for (const image of kustomization?.images ?? []) {
  if (!images.has(image?.name)) {
    problem(kustomizationFile, `images names ${image?.name}, which no container uses`);
  }
}

if (problems.length > 0) {
  process.stderr.write(`${problems.length} problem(s) in ${basename(folder)}:\n${problems.join('\n')}\n`);
  process.exit(1);
}
process.stdout.write(JSON.stringify({ namespace: kustomization.namespace, resources, examples }));

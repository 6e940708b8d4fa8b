import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadAll } from 'js-yaml';
import { Job } from 'kubernetes-models/batch/v1';
import { describe, expect, it } from 'vitest';

/**
 * No Kubernetes cluster runs here, so the shipped Indexed Job is checked offline: against the
 * Kubernetes OpenAPI schema that kubernetes-models compiles into validators (types, required
 * fields, enums, quantity formats), and against what rpdl needs from it to shard correctly.
 */
const manifestPath = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'deploy',
  'k8s-indexed-job.yaml',
);

// biome-ignore lint/suspicious/noExplicitAny: a parsed manifest is untyped YAML until validated.
type Manifest = any;

function readManifest(): Manifest {
  const documents = loadAll(readFileSync(manifestPath, 'utf8'));
  expect(documents).toHaveLength(1);
  return documents[0];
}

function schemaErrors(manifest: Manifest): string | undefined {
  try {
    new Job(manifest).validate();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** What sharding with rpdl needs beyond a schema-valid Job; each problem as one sentence. */
function shardingProblems(manifest: Manifest): string[] {
  const problems: string[] = [];
  const spec = manifest?.spec ?? {};
  const pod = spec.template?.spec ?? {};
  if (spec.completionMode !== 'Indexed') {
    problems.push('completionMode must be Indexed (it sets JOB_COMPLETION_INDEX)');
  }
  if (pod.restartPolicy !== 'Never') {
    problems.push('restartPolicy must be Never for backoffLimitPerIndex');
  }
  const containers: Manifest[] = pod.containers ?? [];
  if (containers.length !== 1) problems.push('expected exactly one container');
  const container = containers[0] ?? {};
  const command: string[] = [...(container.command ?? []), ...(container.args ?? [])];
  if (!command.includes('reproduce')) problems.push('the container must run rpdl reproduce');
  if (!command.includes('--resume')) {
    problems.push('--resume is needed so that a retried pod continues its runs');
  }
  const shardCount = (container.env ?? []).find(
    (variable: Manifest) => variable.name === 'RPDL_SHARD_COUNT',
  )?.value;
  if (shardCount !== String(spec.completions)) {
    problems.push(`RPDL_SHARD_COUNT (${shardCount}) must equal completions (${spec.completions})`);
  }
  const out = command[command.indexOf('--out') + 1];
  const outMount = (container.volumeMounts ?? []).find(
    (mount: Manifest) => mount.mountPath === out,
  );
  if (command.indexOf('--out') < 0 || outMount === undefined) {
    problems.push('--out must be a mounted volume shared by all pods');
  } else if (outMount.readOnly === true) {
    problems.push('the --out volume must be writable');
  }
  return problems;
}

function mutated(change: (manifest: Manifest) => void): Manifest {
  const manifest = readManifest();
  change(manifest);
  return manifest;
}

describe('deploy/k8s-indexed-job.yaml', () => {
  it('is a valid batch/v1 Job under the Kubernetes schema', () => {
    const manifest = readManifest();
    expect(manifest.apiVersion).toBe('batch/v1');
    expect(manifest.kind).toBe('Job');
    expect(schemaErrors(manifest)).toBeUndefined();
  });

  it('shards the grid as rpdl expects: Indexed, one shard per completion, --resume, shared --out', () => {
    expect(shardingProblems(readManifest())).toEqual([]);
  });

  it.each([
    [
      'parallelism as a string',
      (m: Manifest) => (m.spec.parallelism = '8'),
      /spec\/parallelism must be integer/,
    ],
    [
      'an unknown completionMode',
      (m: Manifest) => (m.spec.completionMode = 'indexed'),
      /completionMode must be equal to one of the allowed values/,
    ],
    [
      'the command as one string',
      (m: Manifest) => (m.spec.template.spec.containers[0].command = 'npx rpdl reproduce'),
      /containers\/0\/command must be array/,
    ],
    [
      'an env value that is a number',
      (m: Manifest) => (m.spec.template.spec.containers[0].env[0].value = 48),
      /env\/0\/value must be string/,
    ],
    [
      'a container without a name',
      (m: Manifest) => delete m.spec.template.spec.containers[0].name,
      /containers\/0 must have required property name/,
    ],
    [
      'a malformed memory quantity',
      (m: Manifest) => (m.spec.template.spec.containers[0].resources.limits.memory = '32Gx'),
      /limits\/memory must match format "quantity"/,
    ],
  ])('the schema check rejects %s', (_, change, message) => {
    expect(schemaErrors(mutated(change))).toMatch(message);
  });

  it.each([
    [
      'completions that differ from RPDL_SHARD_COUNT',
      (m: Manifest) => (m.spec.completions = 47),
      /RPDL_SHARD_COUNT \(48\) must equal completions \(47\)/,
    ],
    ['NonIndexed completion', (m: Manifest) => (m.spec.completionMode = 'NonIndexed'), /Indexed/],
    [
      'a command without --resume',
      (m: Manifest) => {
        const container = m.spec.template.spec.containers[0];
        container.command = container.command.filter((word: string) => word !== '--resume');
      },
      /--resume/,
    ],
    [
      'a read-only output volume',
      (m: Manifest) => {
        const mounts = m.spec.template.spec.containers[0].volumeMounts;
        mounts.find((mount: Manifest) => mount.mountPath === '/out').readOnly = true;
      },
      /writable/,
    ],
    [
      'an --out that is not mounted',
      (m: Manifest) => {
        const command: string[] = m.spec.template.spec.containers[0].command;
        command[command.indexOf('--out') + 1] = '/tmp/out';
      },
      /mounted volume/,
    ],
  ])('the sharding check rejects %s', (_, change, message) => {
    const manifest = mutated(change);
    expect(schemaErrors(manifest)).toBeUndefined();
    expect(shardingProblems(manifest).join('\n')).toMatch(message);
  });
});

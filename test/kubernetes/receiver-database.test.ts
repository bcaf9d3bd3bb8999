// kubernetes.receiver.database: the receiver on PostgreSQL in the cluster. Two replicas rolled one
// at a time and spread over nodes, a PodDisruptionBudget, no claim; the URL and the password come
// from the user's Secret (the password as a file), and every object validates. Without it the
// receiver stays one replica on its claim.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DATABASE_SSL_MODES } from '../../src/config/schema/kubernetes.js';
import { SSL_MODES } from '../../src/receiver/postgres/connection.js';
import { problemsOf } from '../helpers/config.js';
import { compileConfig, everyOption, k8sConfig, manifests, ofKind, type Manifest } from './fixture.js';
import { manifestProblems } from './schemas.js';

const SELECTOR = { 'app.kubernetes.io/name': 'sloforge-receiver' };

function onDatabase(database: unknown = { secret: 'receiver-db' }): any {
  const cfg = everyOption();
  delete cfg.kubernetes.receiver.storage;
  delete cfg.kubernetes.receiver.storageClassName;
  cfg.kubernetes.receiver.database = database;
  return cfg;
}

const receiverDeployment = (list: readonly Manifest[]) => ofKind(list, 'Deployment')[0]!.object;
const env = (d: any): Record<string, any> => Object.fromEntries(d.spec.template.spec.containers[0].env.map((e: any) => [e.name, e]));

test('with a database the receiver runs two replicas, rolled one at a time, spread over nodes, guarded by a PodDisruptionBudget', () => {
  const list = manifests(compileConfig(onDatabase()));
  for (const m of list) assert.deepEqual(manifestProblems(m.object), [], m.path);

  const d = receiverDeployment(list);
  assert.equal(d.spec.replicas, 2);
  assert.deepEqual(d.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
  assert.deepEqual(d.spec.template.spec.affinity, {
    podAntiAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [
        { weight: 100, podAffinityTerm: { labelSelector: { matchLabels: SELECTOR }, topologyKey: 'kubernetes.io/hostname' } },
      ],
    },
  });
  // A pod is ready only while its database answers (docs/receiver-postgres.md).
  assert.equal(d.spec.template.spec.containers[0].readinessProbe.httpGet.path, '/readyz');

  const pdbs = ofKind(list, 'PodDisruptionBudget');
  assert.equal(pdbs.length, 1);
  assert.equal(pdbs[0]!.path, 'kubernetes/receiver/pod-disruption-budget.yaml');
  assert.equal(pdbs[0]!.object.apiVersion, 'policy/v1');
  assert.deepEqual(pdbs[0]!.object.spec, { minAvailable: 1, selector: { matchLabels: SELECTOR } });
  assert.deepEqual(pdbs[0]!.object.spec.selector.matchLabels, d.spec.selector.matchLabels);

  // No data folder: no claim, no volume of it, no --data-dir (which the receiver refuses next to --database).
  assert.deepEqual(ofKind(list, 'PersistentVolumeClaim'), []);
  assert.ok(!d.spec.template.spec.volumes.some((v: any) => v.persistentVolumeClaim));
  assert.ok(!('SLOFORGE_RECEIVER_DATA_DIR' in env(d)));
});

test('the URL comes from the Secret as a variable, the password and the CA as files of it', () => {
  const d = receiverDeployment(
    manifests(
      compileConfig(onDatabase({ secret: 'receiver-db', urlKey: 'dsn', passwordKey: 'pw', caKey: 'ca.pem', sslmode: 'verify-full' })),
    ),
  );
  const vars = env(d);
  assert.deepEqual(vars.SLOFORGE_DATABASE_URL, {
    name: 'SLOFORGE_DATABASE_URL',
    valueFrom: { secretKeyRef: { name: 'receiver-db', key: 'dsn' } },
  });
  assert.equal(vars.SLOFORGE_DATABASE_PASSWORD_FILE.value, '/etc/sloforge/database/password');
  assert.equal(vars.SLOFORGE_DATABASE_CA_FILE.value, '/etc/sloforge/database/ca.crt');
  assert.equal(vars.SLOFORGE_DATABASE_SSLMODE.value, 'verify-full');
  assert.deepEqual(
    d.spec.template.spec.volumes.find((v: any) => v.name === 'database'),
    {
      name: 'database',
      secret: {
        secretName: 'receiver-db',
        items: [
          { key: 'pw', path: 'password' },
          { key: 'ca.pem', path: 'ca.crt' },
        ],
      },
    },
  );
  assert.deepEqual(
    d.spec.template.spec.containers[0].volumeMounts.find((m: any) => m.name === 'database'),
    { name: 'database', mountPath: '/etc/sloforge/database', readOnly: true },
  );
  // No password anywhere in the environment, only its file.
  assert.ok(!Object.keys(vars).some((name) => name.includes('PASSWORD') && name !== 'SLOFORGE_DATABASE_PASSWORD_FILE'));

  // The defaults: keys `url` and `password`, no CA, the URL's sslmode.
  const plain = env(receiverDeployment(manifests(compileConfig(onDatabase()))));
  assert.deepEqual(plain.SLOFORGE_DATABASE_URL.valueFrom.secretKeyRef, { name: 'receiver-db', key: 'url' });
  assert.ok(!('SLOFORGE_DATABASE_CA_FILE' in plain) && !('SLOFORGE_DATABASE_SSLMODE' in plain));
});

test('without a database the receiver stays one replica, replaced with Recreate, on its claim', () => {
  const list = manifests(compileConfig(everyOption()));
  const d = receiverDeployment(list);
  assert.equal(d.spec.replicas, 1);
  assert.deepEqual(d.spec.strategy, { type: 'Recreate' });
  assert.equal(d.spec.template.spec.affinity, undefined);
  assert.deepEqual(ofKind(list, 'PodDisruptionBudget'), []);
  assert.equal(ofKind(list, 'PersistentVolumeClaim').length, 1);
  assert.equal(env(d).SLOFORGE_RECEIVER_DATA_DIR.value, '/var/lib/sloforge-receiver');
});

test('a broken PodDisruptionBudget fails validation', () => {
  const pdb = ofKind(manifests(compileConfig(onDatabase())), 'PodDisruptionBudget')[0]!.object;
  const broken = structuredClone(pdb);
  broken.spec.minAvailable = { one: 1 };
  assert.notDeepEqual(manifestProblems(broken), []);
});

test('the sslmode values are the receiver’s', () => {
  assert.deepEqual([...DATABASE_SSL_MODES], [...SSL_MODES]);
});

test('a wrong database setting names its field', () => {
  const problems = (database: unknown, edit: (cfg: any) => void = () => {}) => {
    const cfg = k8sConfig();
    cfg.kubernetes.receiver.database = database;
    edit(cfg);
    return problemsOf(cfg).join('\n');
  };
  assert.equal(problems({ secret: 'receiver-db' }), '');
  assert.match(problems({ secret: 'Receiver_DB' }), /^kubernetes\.receiver\.database\.secret: must be a Kubernetes object name/m);
  assert.match(problems({}), /^kubernetes\.receiver\.database\.secret: /m);
  assert.match(problems({ secret: 'db', passwordKey: 'a/b' }), /^kubernetes\.receiver\.database\.passwordKey: must be a Secret key/m);
  assert.match(problems({ secret: 'db', sslmode: 'prefer' }), /^kubernetes\.receiver\.database\.sslmode: /m);
  assert.match(problems({ secret: 'db', password: 'x' }), /^kubernetes\.receiver\.database\.password: is not a known field/m);
  // A claim the receiver no longer has.
  assert.match(
    problems({ secret: 'db' }, (c) => {
      c.kubernetes.receiver.storage = '5Gi';
    }),
    /^kubernetes\.receiver\.storage: sizes the data folder's PersistentVolumeClaim, which the receiver has none of with kubernetes\.receiver\.database/m,
  );
});

// target-kubernetes with the receiver's events in PostgreSQL (kubernetes.receiver.database): two
// replicas rolled one at a time, spread over nodes, a PodDisruptionBudget, no
// PersistentVolumeClaim; the URL, the password and the CA from one Secret.
import onClaim from '../../target-kubernetes/slos/index.js';

export default {
  ...onClaim,
  kubernetes: {
    ...onClaim.kubernetes,
    receiver: {
      image: 'registry.example.com/sloforge:0.1.0',
      database: { secret: 'sloforge-database', passwordKey: 'db-password', caKey: 'ca.pem', sslmode: 'verify-full' as const },
    },
  },
};

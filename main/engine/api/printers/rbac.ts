// RBAC and certificates printers: RoleBinding / ClusterRoleBinding (ROLE + wide subjects) and
// CertificateSigningRequest. Role and ClusterRole use the default Name + Created At table.
import type { KObj } from '../../store/types.js';
import { humanDuration, translateTimestampSince } from './duration.js';
import type { Cell, Json, Printer } from './types.js';
import { ageCol, col, nameCol, str } from './util.js';

/** rbac.SubjectsStrings: users, groups, and ServiceAccounts as `namespace:name`. */
function subjectStrings(subjects: unknown): [string, string, string] {
  const users: string[] = [];
  const groups: string[] = [];
  const sas: string[] = [];
  for (const s of Array.isArray(subjects) ? (subjects as Json[]) : []) {
    if (s?.kind === 'User') users.push(str(s.name));
    else if (s?.kind === 'Group') groups.push(str(s.name));
    else if (s?.kind === 'ServiceAccount') sas.push(`${str(s.namespace)}:${str(s.name)}`);
  }
  return [users.join(', '), groups.join(', '), sas.join(', ')];
}

function bindingPrinter(kind: 'roleBinding' | 'clusterRoleBinding', roleRefDoc: string): Printer {
  return {
    columns: [
      nameCol(),
      col('Role', roleRefDoc),
      ageCol(),
      col('Users', `Users in the ${kind}`, { priority: 1 }),
      col('Groups', `Groups in the ${kind}`, { priority: 1 }),
      col('ServiceAccounts', `ServiceAccounts in the ${kind}`, { priority: 1 }),
    ],
    cells(obj: KObj, now: number): Cell[] {
      const ref = (obj.roleRef ?? {}) as Json;
      return [str(obj.metadata.name), `${str(ref.kind)}/${str(ref.name)}`, translateTimestampSince(obj.metadata.creationTimestamp, now), ...subjectStrings(obj.subjects)];
    },
  };
}

export const roleBindingPrinter = bindingPrinter(
  'roleBinding',
  'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.',
);
export const clusterRoleBindingPrinter = bindingPrinter(
  'clusterRoleBinding',
  'RoleRef can only reference a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.',
);

/** extractCSRStatus: Denied over Approved over Pending, then Failed and Issued. */
export function csrCondition(obj: KObj): string {
  const conds = ((obj.status as Json)?.conditions ?? []) as Json[];
  const types = new Set(conds.map((c) => c?.type));
  let s = types.has('Denied') ? 'Denied' : types.has('Approved') ? 'Approved' : 'Pending';
  if (types.has('Failed')) s += ',Failed';
  if (str((obj.status as Json)?.certificate)) s += ',Issued';
  return s;
}

export const csrPrinter: Printer = {
  columns: [
    nameCol(),
    ageCol(),
    col('SignerName', 'Requested signer for the request. It is a qualified name in the form: `scope-hostname.io/name`. If empty, it will be defaulted:\n 1. If it\'s a kubelet client certificate, it is assigned\n    "kubernetes.io/kube-apiserver-client-kubelet".\n 2. If it\'s a kubelet serving certificate, it is assigned\n    "kubernetes.io/kubelet-serving".\n 3. Otherwise, it is assigned "kubernetes.io/legacy-unknown".\nDistribution of trust for signers happens out of band. You can select on this field using `spec.signerName`.'),
    col('Requestor', 'Base64-encoded PKCS#10 CSR data'),
    col('RequestedDuration', 'expirationSeconds is the requested duration of validity of the issued certificate. The certificate signer may issue a certificate with a different validity duration so a client must check the delta between the notBefore and and notAfter fields in the issued certificate to determine the actual duration.\n\nThe v1.22+ in-tree implementations of the well-known Kubernetes signers will honor this field as long as the requested duration is not greater than the maximum duration they will honor per the --cluster-signing-duration CLI flag to the Kubernetes controller manager.\n\nCertificate signers may not honor this field for various reasons:\n\n  1. Old signer that is unaware of the field (such as the in-tree\n     implementations prior to v1.22)\n  2. Signer whose configured maximum is shorter than the requested duration\n  3. Signer whose configured minimum is longer than the requested duration\n\nThe minimum valid value for expirationSeconds is 600, i.e. 10 minutes.'),
    col('Condition', 'Conditions applied to the request, such as approval or denial.'),
  ],
  cells(obj: KObj, now: number): Cell[] {
    const spec = (obj.spec ?? {}) as Json;
    const dur = typeof spec.expirationSeconds === 'number' ? humanDuration(spec.expirationSeconds * 1000) : '<none>';
    return [str(obj.metadata.name), translateTimestampSince(obj.metadata.creationTimestamp, now), str(spec.signerName) || '<none>', str(spec.username), dur, csrCondition(obj)];
  },
};

// The control plane kubeadm writes to /etc/kubernetes/manifests, as the mirror pods the
// control-plane kubelet publishes for them (named <component>-<node>).
import { KUBERNETES_VERSION, SERVICE_CIDR, type NodePlan } from '../cluster/shape.js';
import type { KObj } from '../store/types.js';
import { hex64, rfc3339Nano } from './format.js';

export const ETCD_VERSION = '3.5.16-0';
type Obj = Record<string, unknown>;

const hostPath = (name: string, path: string, type: string) => ({ name, hostPath: { path, type } });
const mount = (name: string, mountPath: string, readOnly = true) => (readOnly ? { name, mountPath, readOnly } : { name, mountPath });
const probe = (port: number, path: string, host: string, failureThreshold: number, extra: Obj = {}) => ({
  httpGet: { host, path, port, scheme: 'HTTPS' },
  initialDelaySeconds: 10,
  periodSeconds: 10,
  timeoutSeconds: 15,
  failureThreshold,
  ...extra,
});

const K8S_CERTS = [hostPath('ca-certs', '/etc/ssl/certs', 'DirectoryOrCreate'), hostPath('etc-ca-certificates', '/etc/ca-certificates', 'DirectoryOrCreate'), hostPath('k8s-certs', '/etc/kubernetes/pki', 'DirectoryOrCreate'), hostPath('usr-local-share-ca-certificates', '/usr/local/share/ca-certificates', 'DirectoryOrCreate'), hostPath('usr-share-ca-certificates', '/usr/share/ca-certificates', 'DirectoryOrCreate')];
const K8S_MOUNTS = [mount('ca-certs', '/etc/ssl/certs'), mount('etc-ca-certificates', '/etc/ca-certificates'), mount('k8s-certs', '/etc/kubernetes/pki'), mount('usr-local-share-ca-certificates', '/usr/local/share/ca-certificates'), mount('usr-share-ca-certificates', '/usr/share/ca-certificates')];

function manifests(ip: string): Array<{ component: string; annotations: Obj; container: Obj; volumes: Obj[] }> {
  return [
    {
      component: 'etcd',
      annotations: { 'kubeadm.kubernetes.io/etcd.advertise-client-urls': `https://${ip}:2379` },
      container: {
        name: 'etcd',
        image: `registry.k8s.io/etcd:${ETCD_VERSION}`,
        command: ['etcd', `--advertise-client-urls=https://${ip}:2379`, '--cert-file=/etc/kubernetes/pki/etcd/server.crt', '--client-cert-auth=true', '--data-dir=/var/lib/etcd', '--experimental-initial-corrupt-check=true', '--experimental-watch-progress-notify-interval=5s', `--initial-advertise-peer-urls=https://${ip}:2380`, `--initial-cluster=controlplane=https://${ip}:2380`, '--key-file=/etc/kubernetes/pki/etcd/server.key', `--listen-client-urls=https://127.0.0.1:2379,https://${ip}:2379`, '--listen-metrics-urls=http://127.0.0.1:2381', `--listen-peer-urls=https://${ip}:2380`, '--name=controlplane', '--peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt', '--peer-client-cert-auth=true', '--peer-key-file=/etc/kubernetes/pki/etcd/peer.key', '--peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt', '--snapshot-count=10000', '--trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt'],
        resources: { requests: { cpu: '100m', memory: '100Mi' } },
        livenessProbe: { httpGet: { host: '127.0.0.1', path: '/livez', port: 2381, scheme: 'HTTP' }, initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 15, failureThreshold: 8 },
        readinessProbe: { httpGet: { host: '127.0.0.1', path: '/readyz', port: 2381, scheme: 'HTTP' }, periodSeconds: 1, timeoutSeconds: 15, failureThreshold: 3 },
        startupProbe: { httpGet: { host: '127.0.0.1', path: '/readyz', port: 2381, scheme: 'HTTP' }, initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 15, failureThreshold: 24 },
        volumeMounts: [mount('etcd-data', '/var/lib/etcd', false), mount('etcd-certs', '/etc/kubernetes/pki/etcd', false)],
      },
      volumes: [hostPath('etcd-certs', '/etc/kubernetes/pki/etcd', 'DirectoryOrCreate'), hostPath('etcd-data', '/var/lib/etcd', 'DirectoryOrCreate')],
    },
    {
      component: 'kube-apiserver',
      annotations: { 'kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint': `${ip}:6443` },
      container: {
        name: 'kube-apiserver',
        image: `registry.k8s.io/kube-apiserver:${KUBERNETES_VERSION}`,
        command: ['kube-apiserver', `--advertise-address=${ip}`, '--allow-privileged=true', '--authorization-mode=Node,RBAC', '--client-ca-file=/etc/kubernetes/pki/ca.crt', '--enable-admission-plugins=NodeRestriction', '--enable-bootstrap-token-auth=true', '--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt', '--etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt', '--etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key', '--etcd-servers=https://127.0.0.1:2379', '--kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt', '--kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key', '--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname', '--proxy-client-cert-file=/etc/kubernetes/pki/front-proxy-client.crt', '--proxy-client-key-file=/etc/kubernetes/pki/front-proxy-client.key', '--requestheader-allowed-names=front-proxy-client', '--requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt', '--requestheader-extra-headers-prefix=X-Remote-Extra-', '--requestheader-group-headers=X-Remote-Group', '--requestheader-username-headers=X-Remote-User', '--secure-port=6443', '--service-account-issuer=https://kubernetes.default.svc.cluster.local', '--service-account-key-file=/etc/kubernetes/pki/sa.pub', '--service-account-signing-key-file=/etc/kubernetes/pki/sa.key', `--service-cluster-ip-range=${SERVICE_CIDR}`, '--tls-cert-file=/etc/kubernetes/pki/apiserver.crt', '--tls-private-key-file=/etc/kubernetes/pki/apiserver.key'],
        resources: { requests: { cpu: '250m' } },
        livenessProbe: probe(6443, '/livez', ip, 8),
        readinessProbe: probe(6443, '/readyz', ip, 3, { initialDelaySeconds: undefined, periodSeconds: 1 }),
        startupProbe: probe(6443, '/livez', ip, 24),
        volumeMounts: K8S_MOUNTS,
      },
      volumes: K8S_CERTS,
    },
    {
      component: 'kube-controller-manager',
      annotations: {},
      container: {
        name: 'kube-controller-manager',
        image: `registry.k8s.io/kube-controller-manager:${KUBERNETES_VERSION}`,
        command: ['kube-controller-manager', '--allocate-node-cidrs=true', '--authentication-kubeconfig=/etc/kubernetes/controller-manager.conf', '--authorization-kubeconfig=/etc/kubernetes/controller-manager.conf', '--bind-address=127.0.0.1', '--client-ca-file=/etc/kubernetes/pki/ca.crt', '--cluster-cidr=10.244.0.0/16', '--cluster-name=kubernetes', '--cluster-signing-cert-file=/etc/kubernetes/pki/ca.crt', '--cluster-signing-key-file=/etc/kubernetes/pki/ca.key', '--controllers=*,bootstrapsigner,tokencleaner', '--kubeconfig=/etc/kubernetes/controller-manager.conf', '--leader-elect=true', '--requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt', '--root-ca-file=/etc/kubernetes/pki/ca.crt', '--service-account-private-key-file=/etc/kubernetes/pki/sa.key', `--service-cluster-ip-range=${SERVICE_CIDR}`, '--use-service-account-credentials=true'],
        resources: { requests: { cpu: '200m' } },
        livenessProbe: probe(10257, '/healthz', '127.0.0.1', 8),
        startupProbe: probe(10257, '/healthz', '127.0.0.1', 24),
        volumeMounts: [...K8S_MOUNTS.slice(0, 2), mount('flexvolume-dir', '/usr/libexec/kubernetes/kubelet-plugins/volume/exec', false), mount('k8s-certs', '/etc/kubernetes/pki'), mount('kubeconfig', '/etc/kubernetes/controller-manager.conf'), ...K8S_MOUNTS.slice(3)],
      },
      volumes: [...K8S_CERTS.slice(0, 2), hostPath('flexvolume-dir', '/usr/libexec/kubernetes/kubelet-plugins/volume/exec', 'DirectoryOrCreate'), K8S_CERTS[2]!, hostPath('kubeconfig', '/etc/kubernetes/controller-manager.conf', 'FileOrCreate'), ...K8S_CERTS.slice(3)],
    },
    {
      component: 'kube-scheduler',
      annotations: {},
      container: {
        name: 'kube-scheduler',
        image: `registry.k8s.io/kube-scheduler:${KUBERNETES_VERSION}`,
        command: ['kube-scheduler', '--authentication-kubeconfig=/etc/kubernetes/scheduler.conf', '--authorization-kubeconfig=/etc/kubernetes/scheduler.conf', '--bind-address=127.0.0.1', '--kubeconfig=/etc/kubernetes/scheduler.conf', '--leader-elect=true'],
        resources: { requests: { cpu: '100m' } },
        livenessProbe: probe(10259, '/livez', '127.0.0.1', 8),
        readinessProbe: probe(10259, '/readyz', '127.0.0.1', 3, { initialDelaySeconds: undefined, periodSeconds: 1 }),
        startupProbe: probe(10259, '/livez', '127.0.0.1', 24),
        volumeMounts: [mount('kubeconfig', '/etc/kubernetes/scheduler.conf')],
      },
      volumes: [hostPath('kubeconfig', '/etc/kubernetes/scheduler.conf', 'FileOrCreate')],
    },
  ];
}

export const STATIC_COMPONENTS = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler'];

/** Mirror pods for the control-plane node; `seenAt` is when the kubelet read the manifests. */
export function mirrorPods(plan: NodePlan, node: KObj | undefined, seenAt: number): KObj[] {
  return manifests(plan.internalIP).map(({ component, annotations, container, volumes }) => {
    const hash = hex64(`static/${component}/${plan.name}`).slice(0, 32);
    const c = JSON.parse(JSON.stringify(container)) as Obj; // drops the undefined probe fields
    const md: KObj['metadata'] = {
      name: `${component}-${plan.name}`,
      namespace: 'kube-system',
      labels: { component, tier: 'control-plane' },
      annotations: { ...annotations, 'kubernetes.io/config.hash': hash, 'kubernetes.io/config.mirror': hash, 'kubernetes.io/config.seen': rfc3339Nano(seenAt, 123456), 'kubernetes.io/config.source': 'file' },
    };
    if (node?.metadata.uid) md.ownerReferences = [{ apiVersion: 'v1', kind: 'Node', name: plan.name, uid: node.metadata.uid, controller: true }];
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: md,
      spec: {
        containers: [{ ...c, imagePullPolicy: 'IfNotPresent' }],
        hostNetwork: true,
        nodeName: plan.name,
        priority: 2000001000,
        priorityClassName: 'system-node-critical',
        securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
        tolerations: [{ effect: 'NoExecute', operator: 'Exists' }],
        volumes,
      },
    };
  });
}

export const isMirrorPod = (pod: KObj) => !!pod.metadata.annotations?.['kubernetes.io/config.mirror'];

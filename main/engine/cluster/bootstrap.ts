// What `kubeadm init` leaves in a new cluster, created once when a data dir is new: the system
// namespaces, the `kubernetes` Service, and kube-system's CoreDNS and kube-proxy (their pods come
// from the Deployment and DaemonSet controllers; the static control-plane pods from the
// control-plane node's kubelet).
import type { ComponentEnv } from '../components.js';
import { builtin } from '../api/registry.js';
import type { KObj } from '../store/types.js';
import { CLUSTER_DNS_IP, KUBERNETES_SERVICE_IP, KUBERNETES_VERSION } from './shape.js';
import { ensureDefaultRbac } from '../auth/defaults.js';

const NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

export function bootstrap(env: ComponentEnv): void {
  const c = env.client('kube-apiserver');
  for (const name of NAMESPACES) c.create(builtin('', 'namespaces'), { metadata: { name } });
  // the default RBAC policy, so a reset cluster has it too (the API server also adds missing ones at start)
  ensureDefaultRbac(env.ctx);
  const cp = env.nodes[0]!;

  c.create(builtin('', 'services'), {
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { clusterIP: KUBERNETES_SERVICE_IP, ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }], sessionAffinity: 'None', type: 'ClusterIP' },
  });
  c.create(builtin('', 'endpoints'), {
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{ addresses: [{ ip: cp.internalIP }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }],
  });
  c.create(builtin('discovery.k8s.io', 'endpointslices'), {
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: [cp.internalIP], conditions: { ready: true } }],
    ports: [{ name: 'https', port: 6443, protocol: 'TCP' }],
  });

  const ks = 'kube-system';
  for (const sa of ['coredns', 'kube-proxy']) c.create(builtin('', 'serviceaccounts'), { metadata: { name: sa, namespace: ks } });
  c.create(builtin('', 'configmaps'), {
    metadata: { name: 'coredns', namespace: ks },
    data: {
      Corefile: [
        '.:53 {',
        '    errors',
        '    health {',
        '       lameduck 5s',
        '    }',
        '    ready',
        '    kubernetes cluster.local in-addr.arpa ip6.arpa {',
        '       pods insecure',
        '       fallthrough in-addr.arpa ip6.arpa',
        '       ttl 30',
        '    }',
        '    prometheus :9153',
        '    forward . /etc/resolv.conf {',
        '       max_concurrent 1000',
        '    }',
        '    cache 30 {',
        '       disable success cluster.local',
        '       disable denial cluster.local',
        '    }',
        '    loop',
        '    reload',
        '    loadbalance',
        '}',
        '',
      ].join('\n'),
    },
  });
  c.create(builtin('', 'configmaps'), {
    metadata: { name: 'kube-proxy', namespace: ks, labels: { app: 'kube-proxy' } },
    data: { 'config.conf': 'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nclusterCIDR: 10.244.0.0/16\nmode: iptables\n' },
  });

  c.create(builtin('', 'services'), {
    metadata: {
      name: 'kube-dns',
      namespace: ks,
      labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
      annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' },
    },
    spec: {
      clusterIP: CLUSTER_DNS_IP,
      selector: { 'k8s-app': 'kube-dns' },
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
        { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
      ],
    },
  });

  c.create(builtin('apps', 'deployments'), corednsDeployment());
  c.create(builtin('apps', 'daemonsets'), kubeProxyDaemonSet());
  // kind's default class: the local-path provisioner, binding when the first pod is scheduled
  c.create(builtin('storage.k8s.io', 'storageclasses'), {
    metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
    provisioner: 'rancher.io/local-path',
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'WaitForFirstConsumer',
  } as KObj);

  // the simulated ingress-nginx (main/engine/network) serves this class, the cluster's default
  c.create(builtin('networking.k8s.io', 'ingressclasses'), {
    metadata: {
      name: 'nginx',
      labels: { 'app.kubernetes.io/component': 'controller', 'app.kubernetes.io/instance': 'ingress-nginx', 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/part-of': 'ingress-nginx' },
      annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' },
    },
    spec: { controller: 'k8s.io/ingress-nginx' },
  });
}

function corednsDeployment(): KObj {
  return {
    metadata: { name: 'coredns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { 'k8s-app': 'kube-dns' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: '25%' } },
      template: {
        metadata: { labels: { 'k8s-app': 'kube-dns' } },
        spec: {
          priorityClassName: 'system-cluster-critical',
          serviceAccountName: 'coredns',
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          tolerations: [
            { key: 'CriticalAddonsOnly', operator: 'Exists' },
            { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
          ],
          affinity: {
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [
                { weight: 100, podAffinityTerm: { labelSelector: { matchExpressions: [{ key: 'k8s-app', operator: 'In', values: ['kube-dns'] }] }, topologyKey: 'kubernetes.io/hostname' } },
              ],
            },
          },
          containers: [
            {
              name: 'coredns',
              image: 'registry.k8s.io/coredns/coredns:v1.11.3',
              args: ['-conf', '/etc/coredns/Corefile'],
              resources: { limits: { memory: '170Mi' }, requests: { cpu: '100m', memory: '70Mi' } },
              ports: [
                { name: 'dns', containerPort: 53, protocol: 'UDP' },
                { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
                { name: 'metrics', containerPort: 9153, protocol: 'TCP' },
              ],
              livenessProbe: { httpGet: { path: '/health', port: 8080 }, initialDelaySeconds: 60, timeoutSeconds: 5, failureThreshold: 5 },
              readinessProbe: { httpGet: { path: '/ready', port: 8181 } },
              volumeMounts: [{ name: 'config-volume', mountPath: '/etc/coredns', readOnly: true }],
              securityContext: { allowPrivilegeEscalation: false, capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] }, readOnlyRootFilesystem: true },
            },
          ],
          dnsPolicy: 'Default',
          volumes: [{ name: 'config-volume', configMap: { name: 'coredns', items: [{ key: 'Corefile', path: 'Corefile' }] } }],
        },
      },
    },
  };
}

function kubeProxyDaemonSet(): KObj {
  return {
    metadata: { name: 'kube-proxy', namespace: 'kube-system', labels: { 'k8s-app': 'kube-proxy' } },
    spec: {
      selector: { matchLabels: { 'k8s-app': 'kube-proxy' } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      template: {
        metadata: { labels: { 'k8s-app': 'kube-proxy' } },
        spec: {
          priorityClassName: 'system-node-critical',
          serviceAccountName: 'kube-proxy',
          hostNetwork: true,
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          tolerations: [{ operator: 'Exists' }],
          containers: [
            {
              name: 'kube-proxy',
              image: `registry.k8s.io/kube-proxy:${KUBERNETES_VERSION}`,
              command: ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf', '--hostname-override=$(NODE_NAME)'],
              env: [{ name: 'NODE_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } }],
              securityContext: { privileged: true },
              volumeMounts: [
                { name: 'kube-proxy', mountPath: '/var/lib/kube-proxy' },
                { name: 'xtables-lock', mountPath: '/run/xtables.lock' },
                { name: 'lib-modules', mountPath: '/lib/modules', readOnly: true },
              ],
            },
          ],
          volumes: [
            { name: 'kube-proxy', configMap: { name: 'kube-proxy' } },
            { name: 'xtables-lock', hostPath: { path: '/run/xtables.lock', type: 'FileOrCreate' } },
            { name: 'lib-modules', hostPath: { path: '/lib/modules' } },
          ],
        },
      },
    },
  };
}

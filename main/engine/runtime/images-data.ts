// The images the offline "registry" knows. Sizes are what containerd reports for the compressed
// image (kubelet's "Image size: N bytes"), in MB; versions are what the program prints at start-up.
// `app` selects the simulated program (apps.ts); entrypoint/cmd mirror the real image config so
// that Kubernetes' command/args override rules give the same argv as on a real node.

/** which /bin/sh the image ships: decides error wording, and `none` = distroless (no shell) */
export type ShellKind = 'busybox' | 'dash' | 'bash' | 'none';

export interface TagDef {
  sizeMB: number;
  /** the program version this tag contains (printed in start-up logs) */
  version: string;
  /** alpine variants have busybox sh instead of the repository default */
  shell?: ShellKind;
}

export interface RepoDef {
  /** normalised repository name, e.g. docker.io/library/nginx */
  repo: string;
  app: string;
  entrypoint?: string[];
  cmd?: string[];
  shell: ShellKind;
  /** does the image ship bash (debian/ubuntu-based ones do, alpine/busybox do not) */
  bash?: boolean;
  /** resident memory of the idle program, MiB */
  memMi: number;
  tags: Record<string, TagDef>;
}

const t = (sizeMB: number, version: string, shell?: ShellKind): TagDef => (shell ? { sizeMB, version, shell } : { sizeMB, version });
const A: ShellKind = 'busybox';

const lib = (name: string) => `docker.io/library/${name}`;

export const REPOS: RepoDef[] = [
  {
    repo: lib('nginx'), app: 'nginx', entrypoint: ['/docker-entrypoint.sh'], cmd: ['nginx', '-g', 'daemon off;'],
    shell: 'dash', bash: true, memMi: 3,
    tags: {
      latest: t(72.1, '1.27.3'), mainline: t(72.1, '1.27.3'), stable: t(71.0, '1.26.2'),
      '1.27': t(72.1, '1.27.3'), '1.27.3': t(72.1, '1.27.3'), '1.27.2': t(71.9, '1.27.2'), '1.27.1': t(71.8, '1.27.1'),
      '1.27.0': t(71.0, '1.27.0'), '1.26': t(71.0, '1.26.2'), '1.26.2': t(71.0, '1.26.2'), '1.26.1': t(70.9, '1.26.1'),
      '1.25': t(70.5, '1.25.5'), '1.25.5': t(70.5, '1.25.5'), '1.25.4': t(70.4, '1.25.4'), '1.25.3': t(70.5, '1.25.3'),
      alpine: t(20.5, '1.27.3', A), '1.27-alpine': t(20.5, '1.27.3', A), '1.27.3-alpine': t(20.5, '1.27.3', A),
      '1.26-alpine': t(20.1, '1.26.2', A), '1.25-alpine': t(18.6, '1.25.5', A), 'stable-alpine': t(20.1, '1.26.2', A),
      'alpine-slim': t(5.1, '1.27.3', A),
    },
  },
  {
    repo: lib('busybox'), app: 'busybox', cmd: ['sh'], shell: 'busybox', memMi: 0.3,
    tags: {
      latest: t(2.2, '1.37.0'), '1.37': t(2.2, '1.37.0'), '1.37.0': t(2.2, '1.37.0'), '1.36': t(2.2, '1.36.1'),
      '1.36.1': t(2.2, '1.36.1'), '1.35': t(2.1, '1.35.0'), '1.35.0': t(2.1, '1.35.0'), musl: t(0.9, '1.37.0'),
      glibc: t(2.2, '1.37.0'), stable: t(2.2, '1.36.1'), uclibc: t(1.0, '1.36.1'),
    },
  },
  {
    repo: lib('alpine'), app: 'os', cmd: ['/bin/sh'], shell: 'busybox', memMi: 0.3,
    tags: {
      latest: t(3.6, '3.21.0'), '3.21': t(3.6, '3.21.0'), '3.20': t(3.6, '3.20.3'), '3.19': t(3.4, '3.19.4'),
      '3.18': t(3.4, '3.18.9'), '3': t(3.6, '3.21.0'), edge: t(3.7, 'edge'),
    },
  },
  {
    repo: lib('ubuntu'), app: 'os', cmd: ['/bin/bash'], shell: 'dash', bash: true, memMi: 0.5,
    tags: {
      latest: t(29.7, '24.04'), '24.04': t(29.7, '24.04'), noble: t(29.7, '24.04'), '22.04': t(29.5, '22.04'),
      jammy: t(29.5, '22.04'), '20.04': t(27.5, '20.04'), focal: t(27.5, '20.04'),
    },
  },
  {
    repo: lib('debian'), app: 'os', cmd: ['bash'], shell: 'dash', bash: true, memMi: 0.5,
    tags: {
      latest: t(48.5, '12'), '12': t(48.5, '12'), bookworm: t(48.5, '12'), 'bookworm-slim': t(28.2, '12'),
      '11': t(53.7, '11'), bullseye: t(53.7, '11'), 'bullseye-slim': t(30.2, '11'), 'stable-slim': t(28.2, '12'),
    },
  },
  {
    repo: lib('redis'), app: 'redis', entrypoint: ['docker-entrypoint.sh'], cmd: ['redis-server'],
    shell: 'dash', bash: true, memMi: 3,
    tags: {
      latest: t(45.2, '7.4.1'), '7': t(45.2, '7.4.1'), '7.4': t(45.2, '7.4.1'), '7.4.1': t(45.2, '7.4.1'),
      '7.2': t(43.0, '7.2.6'), '7.2.6': t(43.0, '7.2.6'), '7.0': t(40.2, '7.0.15'), '6': t(39.4, '6.2.16'),
      '6.2': t(39.4, '6.2.16'), alpine: t(17.2, '7.4.1', A), '7-alpine': t(17.2, '7.4.1', A),
      '7.4-alpine': t(17.2, '7.4.1', A), '7.2-alpine': t(16.4, '7.2.6', A),
    },
  },
  {
    repo: lib('httpd'), app: 'httpd', cmd: ['httpd-foreground'], shell: 'dash', bash: true, memMi: 5,
    tags: {
      latest: t(58.2, '2.4.62'), '2': t(58.2, '2.4.62'), '2.4': t(58.2, '2.4.62'), '2.4.62': t(58.2, '2.4.62'),
      '2.4.61': t(58.0, '2.4.61'), alpine: t(22.0, '2.4.62', A), '2.4-alpine': t(22.0, '2.4.62', A),
    },
  },
  {
    repo: lib('mysql'), app: 'mysql', entrypoint: ['docker-entrypoint.sh'], cmd: ['mysqld'], shell: 'bash', bash: true, memMi: 360,
    tags: {
      latest: t(170.5, '9.1.0'), '9': t(170.5, '9.1.0'), '9.1': t(170.5, '9.1.0'), lts: t(172.3, '8.4.3'),
      '8': t(172.3, '8.4.3'), '8.4': t(172.3, '8.4.3'), '8.4.3': t(172.3, '8.4.3'), '8.0': t(166.2, '8.0.40'),
      '8.0.40': t(166.2, '8.0.40'), '5.7': t(137.9, '5.7.44'),
    },
  },
  {
    repo: lib('postgres'), app: 'postgres', entrypoint: ['docker-entrypoint.sh'], cmd: ['postgres'],
    shell: 'dash', bash: true, memMi: 25,
    tags: {
      latest: t(150.6, '17.2'), '17': t(150.6, '17.2'), '17.2': t(150.6, '17.2'), '16': t(150.1, '16.6'),
      '16.6': t(150.1, '16.6'), '15': t(149.2, '15.10'), '14': t(148.7, '14.15'), alpine: t(105.0, '17.2', A),
      '17-alpine': t(105.0, '17.2', A), '16-alpine': t(104.3, '16.6', A),
    },
  },
  {
    repo: lib('python'), app: 'python', cmd: ['python3'], shell: 'dash', bash: true, memMi: 9,
    tags: {
      latest: t(376.9, '3.13.1'), '3': t(376.9, '3.13.1'), '3.13': t(376.9, '3.13.1'), '3.12': t(375.1, '3.12.8'),
      '3.11': t(372.0, '3.11.11'), '3.13-slim': t(44.6, '3.13.1'), '3.12-slim': t(45.0, '3.12.8'), slim: t(44.6, '3.13.1'),
      alpine: t(17.5, '3.13.1', A), '3.12-alpine': t(18.0, '3.12.8', A), '3.13-alpine': t(17.5, '3.13.1', A),
    },
  },
  {
    repo: lib('node'), app: 'node', entrypoint: ['docker-entrypoint.sh'], cmd: ['node'], shell: 'dash', bash: true, memMi: 40,
    tags: {
      latest: t(398.9, '23.4.0'), '23': t(398.9, '23.4.0'), lts: t(393.2, '22.12.0'), '22': t(393.2, '22.12.0'),
      '20': t(391.4, '20.18.1'), '18': t(386.2, '18.20.5'), alpine: t(56.2, '23.4.0', A), '22-alpine': t(54.9, '22.12.0', A),
      '20-alpine': t(45.6, '20.18.1', A), '22-slim': t(75.3, '22.12.0'),
    },
  },
  {
    repo: 'docker.io/curlimages/curl', app: 'curl', entrypoint: ['/entrypoint.sh'], cmd: ['curl'], shell: 'busybox', memMi: 1,
    tags: { latest: t(10.9, '8.11.1'), '8.11.1': t(10.9, '8.11.1'), '8.10.1': t(10.8, '8.10.1'), '8.5.0': t(8.8, '8.5.0') },
  },
  {
    repo: 'registry.k8s.io/pause', app: 'pause', entrypoint: ['/pause'], shell: 'none', memMi: 0.2,
    tags: { '3.10': t(0.32, '3.10'), '3.9': t(0.32, '3.9'), '3.8': t(0.31, '3.8'), latest: t(0.32, '3.10') },
  },
  {
    repo: 'registry.k8s.io/coredns/coredns', app: 'coredns', entrypoint: ['/coredns'], shell: 'none', memMi: 14,
    tags: { 'v1.11.3': t(18.6, '1.11.3'), 'v1.11.1': t(18.2, '1.11.1'), 'v1.10.1': t(16.2, '1.10.1') },
  },
  {
    repo: 'registry.k8s.io/kube-proxy', app: 'kube-proxy', entrypoint: ['/usr/local/bin/kube-proxy'], shell: 'dash', memMi: 18,
    tags: { 'v1.32.0': t(30.9, '1.32.0'), 'v1.31.4': t(30.2, '1.31.4') },
  },
  {
    repo: 'registry.k8s.io/etcd', app: 'etcd', entrypoint: ['/usr/local/bin/etcd'], shell: 'none', memMi: 45,
    tags: { '3.5.16-0': t(57.7, '3.5.16'), '3.5.15-0': t(56.9, '3.5.15') },
  },
  ...['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'].map(
    (c): RepoDef => ({
      repo: `registry.k8s.io/${c}`, app: c, entrypoint: [`/usr/local/bin/${c}`], shell: 'none',
      memMi: c === 'kube-apiserver' ? 260 : c === 'kube-scheduler' ? 22 : 55,
      tags: { 'v1.32.0': t(c === 'kube-apiserver' ? 28.7 : c === 'kube-scheduler' ? 20.7 : 26.3, '1.32.0') },
    }),
  ),
  {
    repo: 'docker.io/hashicorp/http-echo', app: 'http-echo', entrypoint: ['/http-echo'], shell: 'none', memMi: 2,
    tags: { latest: t(4.6, '1.0.0'), '1.0': t(4.6, '1.0.0'), '1.0.0': t(4.6, '1.0.0'), '0.2.3': t(2.7, '0.2.3') },
  },
  ...['docker.io/traefik/whoami', 'docker.io/kubelab/whoami'].map(
    (repo): RepoDef => ({
      repo, app: 'whoami', entrypoint: ['/whoami'], shell: 'none', memMi: 2,
      tags: { latest: t(3.1, '1.10.3'), 'v1.10': t(3.1, '1.10.3'), 'v1.10.3': t(3.1, '1.10.3') },
    }),
  ),
  {
    repo: 'docker.io/nicolaka/netshoot', app: 'os', cmd: ['zsh'], shell: 'busybox', bash: true, memMi: 2,
    tags: { latest: t(171.4, '0.13'), 'v0.13': t(171.4, '0.13'), 'v0.12': t(168.0, '0.12') },
  },
  {
    repo: lib('mongo'), app: 'mongo', entrypoint: ['docker-entrypoint.sh'], cmd: ['mongod'], shell: 'dash', bash: true, memMi: 120,
    tags: { latest: t(290.1, '8.0.4'), '8': t(290.1, '8.0.4'), '8.0': t(290.1, '8.0.4'), '7': t(268.6, '7.0.16'), '7.0': t(268.6, '7.0.16'), '6': t(244.0, '6.0.19') },
  },
  {
    repo: lib('memcached'), app: 'memcached', entrypoint: ['docker-entrypoint.sh'], cmd: ['memcached'], shell: 'dash', memMi: 2,
    tags: { latest: t(30.1, '1.6.34'), '1': t(30.1, '1.6.34'), '1.6': t(30.1, '1.6.34'), alpine: t(4.3, '1.6.34', A) },
  },
  {
    repo: lib('rabbitmq'), app: 'rabbitmq', entrypoint: ['docker-entrypoint.sh'], cmd: ['rabbitmq-server'], shell: 'dash', bash: true, memMi: 110,
    tags: { latest: t(100.9, '4.0.5'), '4': t(100.9, '4.0.5'), '4.0': t(100.9, '4.0.5'), '3': t(97.5, '3.13.7'), '3-management': t(110.2, '3.13.7'), management: t(113.9, '4.0.5') },
  },
  {
    repo: lib('wordpress'), app: 'wordpress', entrypoint: ['docker-entrypoint.sh'], cmd: ['apache2-foreground'], shell: 'dash', bash: true, memMi: 30,
    tags: { latest: t(252.6, '6.7.1'), '6': t(252.6, '6.7.1'), '6.7': t(252.6, '6.7.1'), '6.7.1': t(252.6, '6.7.1') },
  },
  {
    repo: 'docker.io/jenkins/jenkins', app: 'jenkins', entrypoint: ['/usr/bin/tini', '--', '/usr/local/bin/jenkins.sh'], shell: 'dash', bash: true, memMi: 420,
    tags: { latest: t(289.2, '2.490'), lts: t(287.4, '2.479.2'), 'lts-jdk17': t(287.4, '2.479.2'), '2.479.2': t(287.4, '2.479.2') },
  },
  {
    repo: 'docker.io/grafana/grafana', app: 'grafana', entrypoint: ['/run.sh'], shell: 'busybox', memMi: 60,
    tags: { latest: t(140.1, '11.4.0'), '11.4.0': t(140.1, '11.4.0'), '11.3.0': t(135.0, '11.3.0'), '10.4.2': t(121.0, '10.4.2') },
  },
  {
    repo: 'docker.io/prom/prometheus', app: 'prometheus', entrypoint: ['/bin/prometheus'],
    cmd: ['--config.file=/etc/prometheus/prometheus.yml', '--storage.tsdb.path=/prometheus'], shell: 'busybox', memMi: 45,
    tags: { latest: t(110.4, '3.0.1'), 'v3.0.1': t(110.4, '3.0.1'), 'v2.55.1': t(105.2, '2.55.1'), 'v2.53.3': t(103.4, '2.53.3') },
  },
  {
    repo: 'docker.io/polinux/stress', app: 'os', cmd: ['stress'], shell: 'busybox', memMi: 0.5,
    tags: { latest: t(4.0, '1.0.4'), '1.0.4': t(4.0, '1.0.4') },
  },
  {
    repo: 'docker.io/vish/stress', app: 'vish-stress', entrypoint: ['/stress'], shell: 'none', memMi: 1,
    tags: { latest: t(1.6, '0.1') },
  },
  {
    repo: 'registry.k8s.io/e2e-test-images/agnhost', app: 'agnhost', entrypoint: ['/agnhost'], shell: 'busybox', memMi: 8,
    tags: { '2.52': t(51.2, '2.52'), '2.53': t(51.9, '2.53'), '2.39': t(52.0, '2.39') },
  },
  {
    repo: 'registry.k8s.io/busybox', app: 'busybox', cmd: ['sh'], shell: 'busybox', memMi: 0.3,
    tags: { latest: t(1.1, '1.24.0'), '1.24': t(1.1, '1.24.0'), '1.27.2': t(0.7, '1.27.2') },
  },
];

/** registries that answer "not found" for unknown repositories (docker hub says "pull access denied") */
export const KNOWN_REGISTRIES = ['docker.io', 'registry.k8s.io', 'quay.io', 'ghcr.io', 'gcr.io', 'mcr.microsoft.com', 'public.ecr.aws'];

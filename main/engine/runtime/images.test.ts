import { describe, expect, it } from 'vitest';
import { createCatalog, digestOf, parseReference, fullName, pullDurationMs } from './images.js';

describe('image references', () => {
  it.each([
    ['nginx', 'docker.io/library/nginx:latest'],
    ['nginx:1.27', 'docker.io/library/nginx:1.27'],
    ['library/nginx:1.27', 'docker.io/library/nginx:1.27'],
    ['docker.io/nginx', 'docker.io/library/nginx:latest'],
    ['docker.io/library/nginx:alpine', 'docker.io/library/nginx:alpine'],
    ['index.docker.io/library/busybox:1.36', 'docker.io/library/busybox:1.36'],
    ['curlimages/curl', 'docker.io/curlimages/curl:latest'],
    ['registry.k8s.io/pause:3.10', 'registry.k8s.io/pause:3.10'],
    ['localhost:5000/app', 'localhost:5000/app:latest'],
    ['MyRegistry.io/app:v1', 'MyRegistry.io/app:v1'],
  ])('%s normalises to %s', (image, want) => {
    expect(fullName(parseReference(image))).toBe(want);
  });

  it.each([
    ['Nginx', 'invalid reference format: repository name must be lowercase'],
    ['library/Busybox:1.36', 'invalid reference format: repository name must be lowercase'],
    ['nginx:', 'invalid reference format'],
    ['nginx::1', 'invalid reference format'],
    ['ngi nx', 'invalid reference format'],
    ['-nginx', 'invalid reference format'],
  ])('%s is rejected: %s', (image, why) => {
    expect(() => parseReference(image)).toThrow(why);
  });
});

describe('catalog pull', () => {
  const cat = createCatalog();
  const none = new Set<string>();

  it.each([
    [
      'ngnix',
      'ErrImagePull',
      'rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/library/ngnix:latest": failed to resolve reference "docker.io/library/ngnix:latest": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed',
    ],
    [
      'nginx:1.99',
      'ErrImagePull',
      'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:1.99": failed to resolve reference "docker.io/library/nginx:1.99": docker.io/library/nginx:1.99: not found',
    ],
    [
      'registry.k8s.io/kube-proxy:v9.9.9',
      'ErrImagePull',
      'rpc error: code = NotFound desc = failed to pull and unpack image "registry.k8s.io/kube-proxy:v9.9.9": failed to resolve reference "registry.k8s.io/kube-proxy:v9.9.9": registry.k8s.io/kube-proxy:v9.9.9: not found',
    ],
    [
      'Nginx',
      'InvalidImageName',
      `Failed to apply default image tag "Nginx": couldn't parse image name "Nginx": invalid reference format: repository name must be lowercase`,
    ],
    [
      'registry.example.com/team/app:1.0',
      'ErrImagePull',
      'rpc error: code = Unknown desc = failed to pull and unpack image "registry.example.com/team/app:1.0": failed to resolve reference "registry.example.com/team/app:1.0": failed to do request: Head "https://registry.example.com/v2/team/app/manifests/1.0": dial tcp: lookup registry.example.com: no such host',
    ],
  ])('%s fails with %s', (image, reason, message) => {
    expect(cat.pull(image, none)).toEqual({ ok: false, reason, message });
  });

  it.each([
    'nginx', 'nginx:1.25', 'nginx:1.26', 'nginx:1.27', 'nginx:1.27-alpine', 'nginx:alpine', 'busybox', 'busybox:1.35', 'busybox:1.36',
    'busybox:1.37', 'alpine', 'alpine:3.20', 'redis', 'redis:7-alpine', 'httpd:2.4', 'mysql:8.0', 'postgres:16', 'python:3.12-slim',
    'node:20-alpine', 'ubuntu:22.04', 'debian:bookworm-slim', 'curlimages/curl', 'registry.k8s.io/pause:3.10',
    'registry.k8s.io/coredns/coredns:v1.11.3', 'registry.k8s.io/kube-proxy:v1.32.0', 'registry.k8s.io/etcd:3.5.16-0',
    'registry.k8s.io/kube-apiserver:v1.32.0', 'registry.k8s.io/kube-controller-manager:v1.32.0', 'registry.k8s.io/kube-scheduler:v1.32.0',
    'hashicorp/http-echo', 'traefik/whoami', 'nicolaka/netshoot', 'mongo:7', 'memcached', 'rabbitmq:3-management', 'wordpress',
    'jenkins/jenkins:lts', 'grafana/grafana', 'prom/prometheus', 'polinux/stress',
  ])('%s is in the catalog', (image) => {
    const r = cat.pull(image, none);
    expect(r.ok).toBe(true);
  });

  it('gives stable digests, sizes and a size-based pull time; 0 when already present', () => {
    const r = cat.pull('nginx:1.27', none);
    if (!r.ok) throw new Error('pull failed');
    expect(r.ref).toEqual({
      image: 'nginx:1.27',
      fullName: 'docker.io/library/nginx:1.27',
      imageID: `docker.io/library/nginx@${digestOf('docker.io/library/nginx', '1.27')}`,
      sizeBytes: 72_100_000,
    });
    expect(r.ref.imageID).toMatch(/@sha256:[0-9a-f]{64}$/);
    expect(r.durationMs).toBe(pullDurationMs(72_100_000, 'docker.io/library/nginx:1.27'));
    expect(r.durationMs).toBeGreaterThan(2000);
    expect(r.durationMs).toBeLessThan(6000);
    const small = cat.pull('busybox', none);
    expect(small.ok && small.durationMs).toBeLessThan(1200);
    expect(cat.pull('nginx:1.27', new Set(['docker.io/library/nginx:1.27']))).toMatchObject({ ok: true, durationMs: 0 });
  });

  it('resolves a pinned digest to its tag, rejects unknown digests', () => {
    const d = digestOf('docker.io/library/busybox', '1.36');
    expect(cat.pull(`busybox@${d}`, none)).toMatchObject({ ok: true, ref: { fullName: `docker.io/library/busybox@${d}` } });
    const bad = `sha256:${'0'.repeat(64)}`;
    expect(cat.pull(`busybox@${bad}`, none)).toMatchObject({ ok: false, reason: 'ErrImagePull' });
  });
});

// Deployment, ReplicaSet and DaemonSet printers (apps/v1).
import type { KObj } from '../../store/types.js';
import { translateTimestampSince } from './duration.js';
import type { Cell, Json, Printer } from './types.js';
import { ageCol, col, CONTAINERS_DESC, formatLabels, formatLabelSelector, IMAGES_DESC, labelSelectorString, layoutContainerCells, nameCol, str } from './util.js';

// apps/v1 defaults spec.replicas to 1; the printer sees defaulted objects upstream.
const desired = (spec: Json): number => (typeof spec?.replicas === 'number' ? spec.replicas : 1);
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

export const deploymentPrinter: Printer = {
  columns: [
    nameCol(),
    col('Ready', 'Number of the pod with ready state'),
    col('Up-to-date', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
    col('Available', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
    ageCol(),
    col('Containers', CONTAINERS_DESC, { priority: 1 }),
    col('Images', IMAGES_DESC, { priority: 1 }),
    col('Selector', 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.', { priority: 1 }),
  ],
  cells(obj: KObj, now: number): Cell[] {
    const spec: Json = obj.spec ?? {};
    const status: Json = obj.status ?? {};
    const [names, images] = layoutContainerCells(spec.template?.spec?.containers);
    // Unlike the other workloads, Deployment prints the raw selector string: "" when empty.
    const selector = labelSelectorString(spec.selector) ?? '<invalid>';
    return [
      str(obj.metadata.name),
      `${num(status.readyReplicas)}/${desired(spec)}`,
      num(status.updatedReplicas),
      num(status.availableReplicas),
      translateTimestampSince(obj.metadata.creationTimestamp, now),
      names,
      images,
      selector,
    ];
  },
};

export const replicaSetPrinter: Printer = {
  columns: [
    nameCol(),
    col('Desired', 'Replicas is the number of desired replicas.', { type: 'integer' }),
    col('Current', 'Replicas is the most recently observed number of replicas.', { type: 'integer' }),
    col('Ready', 'The number of ready replicas for this replica set.', { type: 'integer' }),
    ageCol(),
    col('Containers', CONTAINERS_DESC, { priority: 1 }),
    col('Images', IMAGES_DESC, { priority: 1 }),
    col('Selector', 'Selector is a label query over pods that should match the replica count.', { priority: 1 }),
  ],
  cells(obj: KObj, now: number): Cell[] {
    const spec: Json = obj.spec ?? {};
    const status: Json = obj.status ?? {};
    const [names, images] = layoutContainerCells(spec.template?.spec?.containers);
    return [
      str(obj.metadata.name),
      desired(spec),
      num(status.replicas),
      num(status.readyReplicas),
      translateTimestampSince(obj.metadata.creationTimestamp, now),
      names,
      images,
      formatLabelSelector(spec.selector),
    ];
  },
};

export const daemonSetPrinter: Printer = {
  columns: [
    nameCol(),
    col('Desired', 'The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod). More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/', { type: 'integer' }),
    col('Current', 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod. More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/', { type: 'integer' }),
    col('Ready', 'numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.', { type: 'integer' }),
    col('Up-to-date', 'The total number of nodes that are running updated daemon pod', { type: 'integer' }),
    col('Available', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)', { type: 'integer' }),
    col('Node Selector', "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/"),
    ageCol(),
    col('Containers', CONTAINERS_DESC, { priority: 1 }),
    col('Images', IMAGES_DESC, { priority: 1 }),
    col('Selector', 'A label selector is a label query over a set of resources. The result of matchLabels and matchExpressions are ANDed. An empty label selector matches all objects. A null label selector matches no objects.', { priority: 1 }),
  ],
  cells(obj: KObj, now: number): Cell[] {
    const spec: Json = obj.spec ?? {};
    const status: Json = obj.status ?? {};
    const [names, images] = layoutContainerCells(spec.template?.spec?.containers);
    return [
      str(obj.metadata.name),
      num(status.desiredNumberScheduled),
      num(status.currentNumberScheduled),
      num(status.numberReady),
      num(status.updatedNumberScheduled),
      num(status.numberAvailable),
      formatLabels(spec.template?.spec?.nodeSelector),
      translateTimestampSince(obj.metadata.creationTimestamp, now),
      names,
      images,
      formatLabelSelector(spec.selector),
    ];
  },
};

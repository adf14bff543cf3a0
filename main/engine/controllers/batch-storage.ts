// The batch and storage controllers of issue 7, in one list for components.ts.
import type { ComponentEnv } from '../components.js';
import type { Controller } from './controller.js';
import { CronJobController } from './cronjob.js';
import { JobController } from './job.js';
import { LocalPathProvisioner } from './provisioner.js';
import { PersistentVolumeBinder } from './pvbinder.js';
import { StatefulSetController } from './statefulset.js';

export function batchStorageControllers(env: ComponentEnv): Controller[] {
  return [new JobController(env), new CronJobController(env), new StatefulSetController(env), new PersistentVolumeBinder(env), new LocalPathProvisioner(env)];
}

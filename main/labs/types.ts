// The lab format after validation: what loader.ts produces from labs/NN-slug/lab.yaml and what the
// checker and runner consume. Every learner-facing string is bilingual.

export type Lang = 'en' | 'ko';
export interface Text {
  en: string;
  ko: string;
}

export type Level = 'beginner' | 'intermediate' | 'advanced';

/** Which objects a check looks at. `name` picks one object; otherwise a (possibly empty) list. */
export interface Target {
  kind: string;
  name?: string;
  /** defaults to the lab's namespace for namespaced kinds */
  namespace?: string;
  /** label selector, kubectl syntax (`app=web,tier!=db`) */
  selector?: string;
}

export type CheckSpec =
  | { type: 'cel'; target: Target; expr: string; message?: Text }
  | { type: 'exists'; target: Target }
  | { type: 'absent'; target: Target }
  | { type: 'count'; target: Target; equals?: number; min?: number; max?: number }
  /** Pod by name or selector, or a workload (Deployment/ReplicaSet/StatefulSet/DaemonSet) by name */
  | { type: 'ready'; target: Target; replicas?: number }
  | { type: 'rolledOut'; target: Target }
  | { type: 'endpoints'; target: Target; count?: number; min?: number }
  /** a file in the learner's workspace; `values` is CEL over the target giving strings it must contain */
  | { type: 'file'; path: string; contains?: string[]; values?: { target: Target; expr: string } };

export interface Check {
  id: string;
  title: Text;
  weight: number;
  spec: CheckSpec;
  /** overrides the step's convergence wait, seconds */
  waitSeconds?: number;
}

export interface Step {
  id: string;
  title: Text;
  /** Markdown; code blocks are commands the UI offers to copy / run in the terminal */
  instructions: Text;
  hints: Text[];
  /** shell commands (kubectl…) that solve the step, run in the workspace with KUBECONFIG set */
  solution: string[];
  checks: Check[];
}

export interface Alternative {
  name: string;
  /** per step id: commands used instead of that step's solution */
  steps: Record<string, string[]>;
}

export interface NearMiss {
  name: string;
  step: string;
  commands: string[];
  expectFail: { check: string; reasonContains: string };
  /** how long the wrong state may take to settle before the check is read, seconds (default 8) */
  waitSeconds?: number;
}

/** KubeLab-only starting conditions, applied through the simulator's API when the lab starts. */
export interface SimulatorSetup {
  /** simulated clock speed while the lab runs (1 to 600): labs that wait on controller timers */
  speed?: number;
}

export interface LabDef {
  id: string;
  dir: string;
  file: string;
  title: Text;
  description: Text;
  level: Level;
  minutes: number;
  topics: string[];
  environment: { reset: 'cluster' | 'none'; namespace: string; freshNamespace: boolean; simulator?: SimulatorSetup };
  /** parsed setup manifests, in file order */
  setup: Array<Record<string, unknown>>;
  steps: Step[];
  exam?: { minutes: number };
  tests: { alternatives: Alternative[]; nearMisses: NearMiss[] };
}

export interface CheckResult {
  stepId: string;
  checkId: string;
  title: Text;
  weight: number;
  passed: boolean;
  /** why it failed, or what was verified */
  reason: Text;
}

export interface StepResult {
  stepId: string;
  passed: boolean;
  score: number;
  maxScore: number;
  checks: CheckResult[];
}

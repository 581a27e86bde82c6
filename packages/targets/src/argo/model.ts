/**
 * The subset of Argo Workflows (v3.6+/v4) objects Sluice emits. Filled field by field; key order
 * here is the order in the file.
 */
interface ObjectMeta {
  name: string;
  namespace?: string;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef: { name: string; key: string } } | { fieldRef: { fieldPath: string } };
}

export interface Container {
  name: 'main';
  image: string;
  imagePullPolicy: string;
  command: string[];
  args?: string[];
  workingDir: string;
  env?: EnvVar[];
  resources: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext: {
    allowPrivilegeEscalation: false;
    capabilities: { drop: ['ALL'] };
    runAsNonRoot: true;
  };
  volumeMounts: { name: string; mountPath: string }[];
}

export interface DagTask {
  name: string;
  template: string;
  depends?: string;
  when?: string;
  arguments?: { parameters: { name: string; value: string }[] };
}

export interface Template {
  name: string;
  metadata?: { annotations: Record<string, string> };
  inputs?: { parameters?: { name: string }[]; artifacts?: { name: string; path: string; git: { repo: string; revision: string; depth: number } }[] };
  dag?: { failFast: false; tasks: DagTask[] };
  container?: Container;
  retryStrategy?: { limit: number; retryPolicy: 'Always'; backoff: { duration: string; factor: number; maxDuration: string } };
  activeDeadlineSeconds?: number;
}

export interface WorkflowTemplate {
  apiVersion: 'argoproj.io/v1alpha1';
  kind: 'WorkflowTemplate';
  metadata: ObjectMeta;
  spec: Record<string, unknown>;
}

export interface CronWorkflow {
  apiVersion: 'argoproj.io/v1alpha1';
  kind: 'CronWorkflow';
  metadata: ObjectMeta;
  spec: {
    schedules: string[];
    timezone: string;
    concurrencyPolicy: 'Forbid' | 'Replace';
    startingDeadlineSeconds: number;
    successfulJobsHistoryLimit: number;
    failedJobsHistoryLimit: number;
    workflowSpec: { workflowTemplateRef: { name: string } };
  };
}

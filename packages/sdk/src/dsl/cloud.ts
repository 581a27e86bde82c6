/**
 * Short-lived cloud credentials for the run, instead of long-lived keys in secrets: on GitHub
 * Actions through OIDC (the job alone gets `id-token: write`); on Argo through the pods' service
 * account (IRSA, GKE Workload Identity); in the container through its environment.
 */
export type Cloud =
  | { readonly kind: 'aws'; readonly roleToAssume: string; readonly region: string }
  | { readonly kind: 'gcp'; readonly workloadIdentityProvider: string; readonly serviceAccount: string };

export const cloud = {
  /** AWS: the IAM role to assume, e.g. `arn:aws:iam::123456789012:role/dbt-metric`. */
  aws: (options: { roleToAssume: string; region: string }): Cloud => ({ kind: 'aws', roleToAssume: options.roleToAssume, region: options.region }),
  /** Google Cloud: the workload identity provider and the service account to impersonate. */
  gcp: (options: { workloadIdentityProvider: string; serviceAccount: string }): Cloud => ({
    kind: 'gcp',
    workloadIdentityProvider: options.workloadIdentityProvider,
    serviceAccount: options.serviceAccount,
  }),
};

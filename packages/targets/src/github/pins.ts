/**
 * The GitHub Actions generated workflows may use, each pinned to a full commit SHA with its release
 * tag. Facts carried over from the verified pin list (shared/reference/github-action-pins.json);
 * change them only together, and only to a verified release.
 */
export const ACTION_PINS = {
  checkout: { action: 'actions/checkout', tag: 'v7.0.1', sha: '3d3c42e5aac5ba805825da76410c181273ba90b1' },
  setupPython: { action: 'actions/setup-python', tag: 'v7.0.0', sha: '5fda3b95a4ea91299a34e894583c3862153e4b97' },
  cache: { action: 'actions/cache', tag: 'v5.0.5', sha: '27d5ce7f107fe9357f9df03efb73ab90386fccae' },
  uploadArtifact: { action: 'actions/upload-artifact', tag: 'v7.0.0', sha: 'bbbca2ddaa5d8feaa63e36b76fdaad77386f024f' },
  downloadArtifact: { action: 'actions/download-artifact', tag: 'v8.0.1', sha: '3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c' },
  setupUv: { action: 'astral-sh/setup-uv', tag: 'v10.0.1', sha: '20cfd1bf945f4377ade1205e4dbc17946fc9a30d' },
  awsCredentials: { action: 'aws-actions/configure-aws-credentials', tag: 'v6.2.3', sha: 'e6de054238d6b7531b4efff3b6587d9aade6a06c' },
  gcpAuth: { action: 'google-github-actions/auth', tag: 'v3.0.0', sha: '7c6bc770dae815cd3e89ee6cdf493a5fab2cc093' },
  setupGcloud: { action: 'google-github-actions/setup-gcloud', tag: 'v3.0.1', sha: 'aa5489c8933f4cc7a4f7d45035b3b1440c9c10db' },
} as const;

export type PinnedAction = keyof typeof ACTION_PINS;

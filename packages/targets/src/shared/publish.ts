/**
 * Publishing a file or directory to S3 or GCS, as the cloud CLI's command line (the targets that run
 * a step as a process run it as they run any argv: never re-parsed by a shell). A file is copied; a
 * directory is synchronised (files gone from the site stay until removed: `sync` never deletes).
 */
import type { Command } from '@sluice/sdk/ir';

type BucketPublish = Extract<Command, { kind: 'publish' }> & { destination: { kind: 's3' | 'gcs' } };

export function bucketPublishArgv(command: BucketPublish): string[] {
  const { path, isDirectory, destination } = command;
  if (destination.kind === 's3') return ['aws', 's3', isDirectory ? 'sync' : 'cp', path, destination.url];
  return ['gcloud', 'storage', ...(isDirectory ? ['rsync', '--recursive'] : ['cp']), path, destination.url];
}

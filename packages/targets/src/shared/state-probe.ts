/**
 * Bash functions for the S3/GCS state programs (state-load.ts, state-save.ts). How each store
 * answers "does this object exist": the probe command, and the answer that means "absent"
 * (anything else that fails is an error). Read from the CLIs' own behaviour:
 * - `aws s3api head-object` exits 254 (AWS CLI v2: "the service returned an error"; 255 is any other
 *   failure, such as a network error) with exactly "An error occurred (404) when calling the
 *   HeadObject operation: Not Found" for a missing key (403 when the caller may not list the bucket:
 *   an error, since absence cannot be told from denial), 253 for missing credentials. A missing
 *   bucket answers HeadObject with the same 404, so the probe asks `head-bucket` first: a typo in the
 *   bucket name is an error, not "no state yet". "(404)" anywhere else (a URL in a connection error)
 *   proves nothing, so absence is that exit code and that whole message, nothing looser;
 * - `gcloud storage objects describe` exits 1 with exactly "ERROR: (gcloud.storage.objects.describe)
 *   <the URL asked for> not found: 404." for a missing object, "HTTPError 403: ..." when denied.
 */
const PROBE: Record<BucketKind, string[]> = {
  s3: [
    'sluice_probe() {',
    '  local path=${1#s3://} bucket key',
    '  bucket=${path%%/*}',
    '  key=${path#"$bucket"/}',
    '  aws s3api head-bucket --bucket "$bucket" >/dev/null || return 1',
    '  aws s3api head-object --bucket "$bucket" --key "$key"',
    '}',
    // $1 the probe's exit status, $2 what it printed, $3 the URL: the one answer that means "absent".
    'sluice_absent() { [[ $1 == 254 && $(sluice_trim "$2") == "An error occurred (404) when calling the HeadObject operation: Not Found" ]]; }',
  ],
  gcs: [
    'sluice_probe() { gcloud storage objects describe "$1"; }',
    'sluice_absent() { [[ $1 == 1 && $(sluice_trim "$2") == "ERROR: (gcloud.storage.objects.describe) $3 not found: 404." ]]; }',
  ],
};

/** Each store's command lines that copy one object (either direction) and delete one object. */
const COPY: Record<BucketKind, string> = { s3: 'aws s3 cp --only-show-errors', gcs: 'gcloud storage cp' };
const REMOVE: Record<BucketKind, string> = { s3: 'aws s3 rm --only-show-errors', gcs: 'gcloud storage rm' };

// Leading and trailing blank lines and spaces (the AWS CLI starts its error with an empty line).
const TRIM_FUNCTION = 'sluice_trim() { local text=$1; text=${text#"${text%%[![:space:]]*}"}; printf %s "${text%"${text##*[![:space:]]}"}"; }';

/** Fetches one object: 0 present (copied), 3 absent, 1 error (the store's message on stderr). */
const GET_FUNCTION: readonly string[] = [
  TRIM_FUNCTION,
  'sluice_get() {',
  '  local answer status=0',
  '  answer=$(sluice_probe "$1" 2>&1 >/dev/null) || status=$?',
  '  if [ "$status" -eq 0 ]; then',
  '    sluice_copy "$1" "$2" || return 1',
  '    return 0',
  '  fi',
  '  if sluice_absent "$status" "$answer" "$1"; then return 3; fi',
  '  printf \'sluice: the state store did not answer for %s (not "absent": failing the load):\\n%s\\n\' "$1" "$answer" >&2',
  '  return 1',
  '}',
];


export type BucketKind = 's3' | 'gcs';

/** The bash functions a program needs to fetch one object from a store: `sluice_get <url> <file>`. */
export function storeGetFunctions(kind: BucketKind): string[] {
  return [...PROBE[kind], `sluice_copy() { ${COPY[kind]} "$1" "$2"; }`, ...GET_FUNCTION];
}

/**
 * The bash functions a program needs to delete one object if it exists: `sluice_clear <url>`, 0
 * when it is gone (deleted, or absent already), 1 with the store's message for any other answer.
 */
export function storeClearFunctions(kind: BucketKind): string[] {
  return [
    ...PROBE[kind],
    `sluice_remove() { ${REMOVE[kind]} "$1"; }`,
    TRIM_FUNCTION,
    'sluice_clear() {',
    '  local answer status=0',
    '  answer=$(sluice_probe "$1" 2>&1 >/dev/null) || status=$?',
    '  if [ "$status" -eq 0 ]; then sluice_remove "$1"; return; fi',
    '  if sluice_absent "$status" "$answer" "$1"; then return 0; fi',
    '  printf \'sluice: the state store did not answer for %s (not "absent": failing the save):\\n%s\\n\' "$1" "$answer" >&2',
    '  return 1',
    '}',
  ];
}

/** The store's copy command, for one object in either direction (a command line prefix). */
export function storeCopyCommand(kind: BucketKind): string {
  return COPY[kind];
}

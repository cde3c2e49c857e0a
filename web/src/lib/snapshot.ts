/**
 * The snapshot shape this build reads (functions/domain/screens.ts SNAPSHOT_SCHEMA; a test holds the two equal). A
 * snapshot a device stored under an older build is not shown: the page waits for the API's answer instead.
 */
export const SNAPSHOT_SCHEMA = 2;

export const isCurrentSnapshot = (data: unknown): boolean => (data as { schema?: unknown } | null)?.schema === SNAPSHOT_SCHEMA;

// Exact comparison of some fields of a record: t.match on strings is a
// substring match ('1' matches '12'), so fields are picked and compared with
// t.strictSame instead.
export function pick(record: unknown, keys: readonly string[]): Record<string, unknown> {
  const r = (record ?? {}) as Record<string, unknown>;
  return Object.fromEntries(keys.map((k) => [k, r[k]]));
}

/** The fields `expected` names, taken from `record`, for t.strictSame(fields(record, expected), expected). */
export function fields(record: unknown, expected: Record<string, unknown>): Record<string, unknown> {
  return pick(record, Object.keys(expected));
}

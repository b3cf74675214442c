/** `?mensaje=<seq>` as a message position: a positive integer, anything else none. */
export function focusSeqParam(value: string | undefined): number | null {
  return value !== undefined && /^[1-9]\d{0,9}$/.test(value) ? Number(value) : null;
}

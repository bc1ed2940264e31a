import { GoCallError } from "./evaluator";

/** Upper bound for lists and strings these functions build (`until`, `repeat`, ...): exec's output cap would come too late. */
export const MAX_BUILT_LENGTH = 1 << 20;

export function guardLength(n: bigint | number): number {
  if (n > MAX_BUILT_LENGTH) throw new GoCallError(`result longer than ${MAX_BUILT_LENGTH} (a cap of embedded-kratos)`);
  return Number(n);
}

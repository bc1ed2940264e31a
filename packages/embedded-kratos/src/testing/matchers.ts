import { expect } from "vitest";

/**
 * vitest's asymmetric matchers typed `unknown` instead of vitest's `any`, so
 * they can sit inside an expected object without an `any` in it.
 */
export const anyString = (): unknown => expect.any(String);
export const stringMatching = (pattern: RegExp): unknown => expect.stringMatching(pattern);
export const objectContaining = (expected: Record<string, unknown>): unknown => expect.objectContaining(expected);

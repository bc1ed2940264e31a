/** The two halves of a stack: customers (CIAM, always) and employees (IAM, optional per tenant). */
export const DOMAINS = ["ciam", "iam"] as const;
export type Domain = (typeof DOMAINS)[number];

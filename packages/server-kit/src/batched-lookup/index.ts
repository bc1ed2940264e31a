export { BatchedLookup } from "./batched-lookup";

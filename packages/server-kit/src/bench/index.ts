export { startFloorServer, type FloorServer } from "./floor-server";
export { describeGc, startGcMeter, type GcMeter, type GcStats } from "./gc-stats";
export { findWrk, runWrk, type WrkResult, type WrkSpec } from "./wrk";

export { startFloorServer, type FloorServer } from "./floor-server";
export { findWrk, runWrk, type WrkResult, type WrkSpec } from "./wrk";

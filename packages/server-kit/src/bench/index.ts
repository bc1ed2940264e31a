export { startFloorServer, type FloorServer } from "./floor-server";

/** The official Ory releases platform/ is written for; Compose pins the same tags. */
export const ORY_VERSION = "v26.2.0";
export const KRATOS_IMAGE = `oryd/kratos:${ORY_VERSION}`;
export const HYDRA_IMAGE = `oryd/hydra:${ORY_VERSION}`;

/** The Hydra release whose API this server reproduces (`GET /admin/version`, the metrics' `version` label). */
export const HYDRA_VERSION = "v26.2.0";

/** The Hydra release whose API this server reproduces (`GET /admin/version`, the metrics' `version` label). */
export const HYDRA_VERSION = "v26.2.0";

/**
 * The release's build information (driver/config/buildinfo.go, set by
 * goreleaser's ldflags): `Commit` is the commit the v26.2.0 tag names.
 * `Date` is the time the release pipeline built the binary, which the
 * sources cannot tell; the tagged commit's time (2026-03-20T11:01:06Z, in
 * goreleaser's RFC 3339 form) stands for it.
 */
export const HYDRA_COMMIT = "0b84568fffccf151dc5e6c7955fdfb738555bf4b";
export const HYDRA_BUILD_DATE = "2026-03-20T11:01:06Z";

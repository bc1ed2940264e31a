export { CONTENT_TYPE, formatValue, renderFamilies, renderLabels, type Family, type Labels, type Sample } from "./exposition";
export { DEFAULT_BUCKETS, HttpMetrics, type ObservedRequest } from "./http-metrics";
export { endpointLabelOf, instrumentResponse } from "./instrument";
export { processFamilies } from "./process-metrics";
export { METRICS_PATH, ServerMetrics } from "./registry";

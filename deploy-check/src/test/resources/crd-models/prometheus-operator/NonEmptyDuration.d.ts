/**
 * NonEmptyDuration is a valid time duration that can be parsed by Prometheus model.ParseDuration() function.
 * Compared to Duration,  NonEmptyDuration enforces a minimum length of 1.
 * Supported units: y, w, d, h, m, s, ms
 * Examples: `30s`, `1m`, `1h20m15s`, `15d`
 */
export type INonEmptyDuration = string;
export type NonEmptyDuration = INonEmptyDuration;
export type { INonEmptyDuration as IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1NonEmptyDuration, NonEmptyDuration as ComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1NonEmptyDuration };

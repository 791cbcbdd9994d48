/**
 * Duration is a valid time duration that can be parsed by Prometheus model.ParseDuration() function.
 * Supported units: y, w, d, h, m, s, ms
 * Examples: `30s`, `1m`, `1h20m15s`, `15d`
 */
export type IDuration = string;
export type Duration = IDuration;
export type { IDuration as IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1Duration, Duration as ComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1Duration };

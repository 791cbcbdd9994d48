/**
 * Supported values are `HTTP` and `HTTPS`. You can also rewrite the
 * `__scheme__` label via relabeling configuration.
 *
 * If empty, the value defaults to `HTTP`.
 */
export type IScheme = "http" | "https" | "HTTP" | "HTTPS";
export type Scheme = IScheme;
export type { IScheme as IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1Scheme, Scheme as ComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1Scheme };

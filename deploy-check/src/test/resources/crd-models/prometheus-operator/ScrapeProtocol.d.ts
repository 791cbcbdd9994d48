/**
 * ScrapeProtocol represents a protocol used by Prometheus for scraping metrics.
 * Supported values are:
 * \* `OpenMetricsText0.0.1`
 * \* `OpenMetricsText1.0.0`
 * \* `PrometheusProto`
 * \* `PrometheusText0.0.4`
 * \* `PrometheusText1.0.0`
 */
export type IScrapeProtocol = "PrometheusProto" | "OpenMetricsText0.0.1" | "OpenMetricsText1.0.0" | "PrometheusText0.0.4" | "PrometheusText1.0.0";
export type ScrapeProtocol = IScrapeProtocol;
export type { IScrapeProtocol as IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ScrapeProtocol, ScrapeProtocol as ComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ScrapeProtocol };

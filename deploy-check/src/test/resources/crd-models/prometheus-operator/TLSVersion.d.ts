export type ITLSVersion = "TLS10" | "TLS11" | "TLS12" | "TLS13";
export type TLSVersion = ITLSVersion;
export type { ITLSVersion as IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1TLSVersion, TLSVersion as ComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1TLSVersion };

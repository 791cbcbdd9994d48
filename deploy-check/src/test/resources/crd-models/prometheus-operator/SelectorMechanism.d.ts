export type ISelectorMechanism = "RelabelConfig" | "RoleSelector";
export type SelectorMechanism = ISelectorMechanism;
export type { ISelectorMechanism as IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1SelectorMechanism, SelectorMechanism as ComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1SelectorMechanism };

/**
 * LabelName is a valid Prometheus label name.
 * For Prometheus 3.x, a label name is valid if it contains UTF-8 characters.
 * For Prometheus 2.x, a label name is only valid if it contains ASCII characters, letters, numbers, as well as underscores.
 */
export type ILabelName = string;
export type LabelName = ILabelName;
export type { ILabelName as IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1LabelName, LabelName as ComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1LabelName };

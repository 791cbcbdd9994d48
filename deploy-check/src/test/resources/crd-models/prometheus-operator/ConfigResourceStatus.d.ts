import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1WorkloadBinding } from "./WorkloadBinding.js";
import { ModelData, Model } from "@kubernetes-models/base";
/**
 * ConfigResourceStatus is the most recent observed status of the Configuration Resource (ServiceMonitor, PodMonitor, Probes, ScrapeConfig, PrometheusRule or AlertmanagerConfig). Read-only.
 * More info:
 * https://github.com/kubernetes/community/blob/master/contributors/devel/sig-architecture/api-conventions.md#spec-and-status
 */
export interface IConfigResourceStatus {
    /**
     * bindings defines the list of workload resources (Prometheus, PrometheusAgent, ThanosRuler or Alertmanager) which select the configuration resource.
     */
    "bindings"?: Array<IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1WorkloadBinding>;
}
/**
 * ConfigResourceStatus is the most recent observed status of the Configuration Resource (ServiceMonitor, PodMonitor, Probes, ScrapeConfig, PrometheusRule or AlertmanagerConfig). Read-only.
 * More info:
 * https://github.com/kubernetes/community/blob/master/contributors/devel/sig-architecture/api-conventions.md#spec-and-status
 */
export declare class ConfigResourceStatus extends Model<IConfigResourceStatus> implements IConfigResourceStatus {
    "bindings"?: Array<IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1WorkloadBinding>;
    constructor(data?: ModelData<IConfigResourceStatus>);
}
export type { IConfigResourceStatus as IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ConfigResourceStatus, ConfigResourceStatus as ComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ConfigResourceStatus };

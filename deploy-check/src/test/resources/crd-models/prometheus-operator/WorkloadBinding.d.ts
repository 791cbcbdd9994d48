import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ConfigResourceCondition } from "./ConfigResourceCondition.js";
import { ModelData, Model } from "@kubernetes-models/base";
/**
 * WorkloadBinding is a link between a configuration resource and a workload resource.
 */
export interface IWorkloadBinding {
    /**
     * conditions defines the current state of the configuration resource when bound to the referenced Workload object.
     */
    "conditions"?: Array<IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ConfigResourceCondition>;
    /**
     * group defines the group of the referenced resource.
     */
    "group": "monitoring.coreos.com";
    /**
     * name defines the name of the referenced object.
     */
    "name": string;
    /**
     * namespace defines the namespace of the referenced object.
     */
    "namespace": string;
    /**
     * resource defines the type of resource being referenced (e.g. Prometheus, PrometheusAgent, ThanosRuler or Alertmanager).
     */
    "resource": "prometheuses" | "prometheusagents" | "thanosrulers" | "alertmanagers";
}
/**
 * WorkloadBinding is a link between a configuration resource and a workload resource.
 */
export declare class WorkloadBinding extends Model<IWorkloadBinding> implements IWorkloadBinding {
    "conditions"?: Array<IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ConfigResourceCondition>;
    "group": "monitoring.coreos.com";
    "name": string;
    "namespace": string;
    "resource": "prometheuses" | "prometheusagents" | "thanosrulers" | "alertmanagers";
    constructor(data?: ModelData<IWorkloadBinding>);
}
export type { IWorkloadBinding as IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1WorkloadBinding, WorkloadBinding as ComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1WorkloadBinding };

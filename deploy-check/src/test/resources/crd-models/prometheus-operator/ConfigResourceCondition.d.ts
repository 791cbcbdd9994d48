import { IIoK8sApimachineryPkgApisMetaV1Time } from "@kubernetes-models/apimachinery/apis/meta/v1/Time";
import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ConditionStatus } from "./ConditionStatus.js";
import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ConditionType } from "./ConditionType.js";
import { ModelData, Model } from "@kubernetes-models/base";
/**
 * ConfigResourceCondition describes the status of configuration resources linked to Prometheus, PrometheusAgent, Alertmanager or ThanosRuler.
 */
export interface IConfigResourceCondition {
    /**
     * lastTransitionTime defines the time of the last update to the current status property.
     */
    "lastTransitionTime": IIoK8sApimachineryPkgApisMetaV1Time;
    /**
     * message defines the human-readable message indicating details for the condition's last transition.
     */
    "message"?: string;
    /**
     * observedGeneration defines the .metadata.generation that the
     * condition was set based upon. For instance, if `.metadata.generation` is
     * currently 12, but the `.status.conditions[].observedGeneration` is 9, the
     * condition is out of date with respect to the current state of the object.
     */
    "observedGeneration"?: number;
    /**
     * reason for the condition's last transition.
     */
    "reason"?: string;
    /**
     * status of the condition.
     */
    "status": IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ConditionStatus;
    /**
     * type of the condition being reported.
     * Currently, only "Accepted" is supported.
     */
    "type": IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ConditionType;
}
/**
 * ConfigResourceCondition describes the status of configuration resources linked to Prometheus, PrometheusAgent, Alertmanager or ThanosRuler.
 */
export declare class ConfigResourceCondition extends Model<IConfigResourceCondition> implements IConfigResourceCondition {
    "lastTransitionTime": IIoK8sApimachineryPkgApisMetaV1Time;
    "message"?: string;
    "observedGeneration"?: number;
    "reason"?: string;
    "status": IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ConditionStatus;
    "type": IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ConditionType;
    constructor(data?: ModelData<IConfigResourceCondition>);
}
export type { IConfigResourceCondition as IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ConfigResourceCondition, ConfigResourceCondition as ComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ConfigResourceCondition };

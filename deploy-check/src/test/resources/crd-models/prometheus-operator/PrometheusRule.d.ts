import { IIoK8sApimachineryPkgApisMetaV1ObjectMeta } from "@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta";
import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1PrometheusRuleSpec } from "./PrometheusRuleSpec.js";
import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ConfigResourceStatus } from "./ConfigResourceStatus.js";
import { ModelData, TypeMeta, Model } from "@kubernetes-models/base";
/**
 * The `PrometheusRule` custom resource definition (CRD) defines [alerting](https://prometheus.io/docs/prometheus/latest/configuration/alerting_rules/) and [recording](https://prometheus.io/docs/prometheus/latest/configuration/recording_rules/) rules to be evaluated by `Prometheus` or `ThanosRuler` objects.
 *
 * `Prometheus` and `ThanosRuler` objects select `PrometheusRule` objects using label and namespace selectors.
 */
export interface IPrometheusRule extends TypeMeta {
    "apiVersion": "monitoring.coreos.com/v1";
    "kind": "PrometheusRule";
    /**
     * metadata defines ObjectMeta as the metadata that all persisted resources.
     */
    "metadata"?: IIoK8sApimachineryPkgApisMetaV1ObjectMeta;
    /**
     * spec defines the specification of desired alerting rule definitions for Prometheus.
     */
    "spec": IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1PrometheusRuleSpec;
    /**
     * status defines the status subresource. It is under active development and is updated only when the
     * "StatusForConfigurationResources" feature gate is enabled.
     *
     * Most recent observed status of the PrometheusRule. Read-only.
     * More info:
     * https://github.com/kubernetes/community/blob/master/contributors/devel/sig-architecture/api-conventions.md#spec-and-status
     */
    "status"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ConfigResourceStatus;
}
/**
 * The `PrometheusRule` custom resource definition (CRD) defines [alerting](https://prometheus.io/docs/prometheus/latest/configuration/alerting_rules/) and [recording](https://prometheus.io/docs/prometheus/latest/configuration/recording_rules/) rules to be evaluated by `Prometheus` or `ThanosRuler` objects.
 *
 * `Prometheus` and `ThanosRuler` objects select `PrometheusRule` objects using label and namespace selectors.
 */
export declare class PrometheusRule extends Model<IPrometheusRule> implements IPrometheusRule {
    "apiVersion": "monitoring.coreos.com/v1";
    "kind": "PrometheusRule";
    "metadata"?: IIoK8sApimachineryPkgApisMetaV1ObjectMeta;
    "spec": IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1PrometheusRuleSpec;
    "status"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ConfigResourceStatus;
    static apiVersion: IPrometheusRule["apiVersion"];
    static kind: IPrometheusRule["kind"];
    static is: import("@kubernetes-models/base").TypeMetaGuard<IPrometheusRule>;
    constructor(data?: ModelData<IPrometheusRule>);
}
export type { IPrometheusRule as IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1PrometheusRule, PrometheusRule as ComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1PrometheusRule };

import { IIoK8sApimachineryPkgApisMetaV1ObjectMeta } from "@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta";
import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1PodMonitorSpec } from "./PodMonitorSpec.js";
import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ConfigResourceStatus } from "./ConfigResourceStatus.js";
import { ModelData, TypeMeta, Model } from "@kubernetes-models/base";
/**
 * The `PodMonitor` custom resource definition (CRD) defines how `Prometheus` and `PrometheusAgent` can scrape metrics from a group of pods.
 * Among other things, it allows to specify:
 * \* The pods to scrape via label selectors.
 * \* The container ports to scrape.
 * \* Authentication credentials to use.
 * \* Target and metric relabeling.
 *
 * `Prometheus` and `PrometheusAgent` objects select `PodMonitor` objects using label and namespace selectors.
 */
export interface IPodMonitor extends TypeMeta {
    "apiVersion": "monitoring.coreos.com/v1";
    "kind": "PodMonitor";
    /**
     * metadata defines ObjectMeta as the metadata that all persisted resources.
     */
    "metadata"?: IIoK8sApimachineryPkgApisMetaV1ObjectMeta;
    /**
     * spec defines the specification of desired Pod selection for target discovery by Prometheus.
     */
    "spec": IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1PodMonitorSpec;
    /**
     * status defines the status subresource. It is under active development and is updated only when the
     * "StatusForConfigurationResources" feature gate is enabled.
     *
     * Most recent observed status of the PodMonitor. Read-only.
     * More info:
     * https://github.com/kubernetes/community/blob/master/contributors/devel/sig-architecture/api-conventions.md#spec-and-status
     */
    "status"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ConfigResourceStatus;
}
/**
 * The `PodMonitor` custom resource definition (CRD) defines how `Prometheus` and `PrometheusAgent` can scrape metrics from a group of pods.
 * Among other things, it allows to specify:
 * \* The pods to scrape via label selectors.
 * \* The container ports to scrape.
 * \* Authentication credentials to use.
 * \* Target and metric relabeling.
 *
 * `Prometheus` and `PrometheusAgent` objects select `PodMonitor` objects using label and namespace selectors.
 */
export declare class PodMonitor extends Model<IPodMonitor> implements IPodMonitor {
    "apiVersion": "monitoring.coreos.com/v1";
    "kind": "PodMonitor";
    "metadata"?: IIoK8sApimachineryPkgApisMetaV1ObjectMeta;
    "spec": IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1PodMonitorSpec;
    "status"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ConfigResourceStatus;
    static apiVersion: IPodMonitor["apiVersion"];
    static kind: IPodMonitor["kind"];
    static is: import("@kubernetes-models/base").TypeMetaGuard<IPodMonitor>;
    constructor(data?: ModelData<IPodMonitor>);
}
export type { IPodMonitor as IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1PodMonitor, PodMonitor as ComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1PodMonitor };

import { IIoK8sApimachineryPkgApisMetaV1ObjectMeta } from "@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta";
import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ServiceMonitorSpec } from "./ServiceMonitorSpec.js";
import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ConfigResourceStatus } from "./ConfigResourceStatus.js";
import { ModelData, TypeMeta, Model } from "@kubernetes-models/base";
/**
 * The `ServiceMonitor` custom resource definition (CRD) defines how `Prometheus` and `PrometheusAgent` can scrape metrics from a group of services.
 * Among other things, it allows to specify:
 * \* The services to scrape via label selectors.
 * \* The container ports to scrape.
 * \* Authentication credentials to use.
 * \* Target and metric relabeling.
 *
 * `Prometheus` and `PrometheusAgent` objects select `ServiceMonitor` objects using label and namespace selectors.
 */
export interface IServiceMonitor extends TypeMeta {
    "apiVersion": "monitoring.coreos.com/v1";
    "kind": "ServiceMonitor";
    /**
     * metadata defines ObjectMeta as the metadata that all persisted resources.
     */
    "metadata"?: IIoK8sApimachineryPkgApisMetaV1ObjectMeta;
    /**
     * spec defines the specification of desired Service selection for target discovery by
     * Prometheus.
     */
    "spec": IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ServiceMonitorSpec;
    /**
     * status defines the status subresource. It is under active development and is updated only when the
     * "StatusForConfigurationResources" feature gate is enabled.
     *
     * Most recent observed status of the ServiceMonitor. Read-only.
     * More info:
     * https://github.com/kubernetes/community/blob/master/contributors/devel/sig-architecture/api-conventions.md#spec-and-status
     */
    "status"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ConfigResourceStatus;
}
/**
 * The `ServiceMonitor` custom resource definition (CRD) defines how `Prometheus` and `PrometheusAgent` can scrape metrics from a group of services.
 * Among other things, it allows to specify:
 * \* The services to scrape via label selectors.
 * \* The container ports to scrape.
 * \* Authentication credentials to use.
 * \* Target and metric relabeling.
 *
 * `Prometheus` and `PrometheusAgent` objects select `ServiceMonitor` objects using label and namespace selectors.
 */
export declare class ServiceMonitor extends Model<IServiceMonitor> implements IServiceMonitor {
    "apiVersion": "monitoring.coreos.com/v1";
    "kind": "ServiceMonitor";
    "metadata"?: IIoK8sApimachineryPkgApisMetaV1ObjectMeta;
    "spec": IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ServiceMonitorSpec;
    "status"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ConfigResourceStatus;
    static apiVersion: IServiceMonitor["apiVersion"];
    static kind: IServiceMonitor["kind"];
    static is: import("@kubernetes-models/base").TypeMetaGuard<IServiceMonitor>;
    constructor(data?: ModelData<IServiceMonitor>);
}
export type { IServiceMonitor as IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ServiceMonitor, ServiceMonitor as ComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ServiceMonitor };

import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1NativeHistogramConfig } from "./NativeHistogramConfig.js";
import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1AttachMetadata } from "./AttachMetadata.js";
import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ByteSize } from "./ByteSize.js";
import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1Endpoint } from "./Endpoint.js";
import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ScrapeProtocol } from "./ScrapeProtocol.js";
import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1NamespaceSelector } from "./NamespaceSelector.js";
import { IIoK8sApimachineryPkgApisMetaV1LabelSelector } from "@kubernetes-models/apimachinery/apis/meta/v1/LabelSelector";
import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1SelectorMechanism } from "./SelectorMechanism.js";
import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ServiceDiscoveryRole } from "./ServiceDiscoveryRole.js";
import { IIoK8sApimachineryPkgApiResourceQuantity } from "@kubernetes-models/apimachinery/api/resource/Quantity";
import { ModelData, Model } from "@kubernetes-models/base";
/**
 * ServiceMonitorSpec defines the specification parameters for a ServiceMonitor.
 */
export interface IServiceMonitorSpec extends IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1NativeHistogramConfig {
    /**
     * attachMetadata defines additional metadata which is added to the
     * discovered targets.
     *
     * It requires Prometheus >= v2.37.0.
     */
    "attachMetadata"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1AttachMetadata;
    /**
     * bodySizeLimit when defined, bodySizeLimit specifies a job level limit on the size
     * of uncompressed response body that will be accepted by Prometheus.
     *
     * It requires Prometheus >= v2.28.0.
     */
    "bodySizeLimit"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ByteSize;
    /**
     * endpoints defines the list of endpoints part of this ServiceMonitor.
     * Defines how to scrape metrics from Kubernetes [Endpoints](https://kubernetes.io/docs/concepts/services-networking/service/#endpoints) objects.
     * In most cases, an Endpoints object is backed by a Kubernetes [Service](https://kubernetes.io/docs/concepts/services-networking/service/) object with the same name and labels.
     */
    "endpoints": Array<IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1Endpoint>;
    /**
     * fallbackScrapeProtocol defines the protocol to use if a scrape returns blank, unparseable, or otherwise invalid Content-Type.
     *
     * It requires Prometheus >= v3.0.0.
     */
    "fallbackScrapeProtocol"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ScrapeProtocol;
    /**
     * jobLabel selects the label from the associated Kubernetes `Service`
     * object which will be used as the `job` label for all metrics.
     *
     * For example if `jobLabel` is set to `foo` and the Kubernetes `Service`
     * object is labeled with `foo: bar`, then Prometheus adds the `job="bar"`
     * label to all ingested metrics.
     *
     * If the value of this field is empty or if the label doesn't exist for
     * the given Service, the `job` label of the metrics defaults to the name
     * of the associated Kubernetes `Service`.
     */
    "jobLabel"?: string;
    /**
     * keepDroppedTargets defines the per-scrape limit on the number of targets dropped by relabeling
     * that will be kept in memory. 0 means no limit.
     *
     * It requires Prometheus >= v2.47.0.
     */
    "keepDroppedTargets"?: number;
    /**
     * labelLimit defines the per-scrape limit on number of labels that will be accepted for a sample.
     *
     * It requires Prometheus >= v2.27.0.
     */
    "labelLimit"?: number;
    /**
     * labelNameLengthLimit defines the per-scrape limit on length of labels name that will be accepted for a sample.
     *
     * It requires Prometheus >= v2.27.0.
     */
    "labelNameLengthLimit"?: number;
    /**
     * labelValueLengthLimit defines the per-scrape limit on length of labels value that will be accepted for a sample.
     *
     * It requires Prometheus >= v2.27.0.
     */
    "labelValueLengthLimit"?: number;
    /**
     * namespaceSelector defines in which namespace(s) Prometheus should discover the services.
     * By default, the services are discovered in the same namespace as the `ServiceMonitor` object but it is possible to select pods across different/all namespaces.
     */
    "namespaceSelector"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1NamespaceSelector;
    /**
     * podTargetLabels defines the labels which are transferred from the
     * associated Kubernetes `Pod` object onto the ingested metrics.
     */
    "podTargetLabels"?: Array<string>;
    /**
     * sampleLimit defines a per-scrape limit on the number of scraped samples
     * that will be accepted.
     */
    "sampleLimit"?: number;
    /**
     * scrapeClass defines the scrape class to apply.
     */
    "scrapeClass"?: string;
    /**
     * scrapeProtocols defines the protocols to negotiate during a scrape. It tells clients the
     * protocols supported by Prometheus in order of preference (from most to least preferred).
     *
     * If unset, Prometheus uses its default value.
     *
     * It requires Prometheus >= v2.49.0.
     */
    "scrapeProtocols"?: Array<IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ScrapeProtocol>;
    /**
     * selector defines the label selector to select the Kubernetes `Endpoints` objects to scrape metrics from.
     */
    "selector": IIoK8sApimachineryPkgApisMetaV1LabelSelector;
    /**
     * selectorMechanism defines the mechanism used to select the endpoints to scrape.
     * By default, the selection process relies on relabel configurations to filter the discovered targets.
     * Alternatively, you can opt in for role selectors, which may offer better efficiency in large clusters.
     * Which strategy is best for your use case needs to be carefully evaluated.
     *
     * It requires Prometheus >= v2.17.0.
     */
    "selectorMechanism"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1SelectorMechanism;
    /**
     * serviceDiscoveryRole defines the service discovery role used to discover targets.
     *
     * If set, the value should be either "Endpoints" or "EndpointSlice".
     * Otherwise it defaults to the value defined in the
     * Prometheus/PrometheusAgent resource.
     */
    "serviceDiscoveryRole"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ServiceDiscoveryRole;
    /**
     * targetLabels defines the labels which are transferred from the
     * associated Kubernetes `Service` object onto the ingested metrics.
     */
    "targetLabels"?: Array<string>;
    /**
     * targetLimit defines a limit on the number of scraped targets that will
     * be accepted.
     */
    "targetLimit"?: number;
}
/**
 * ServiceMonitorSpec defines the specification parameters for a ServiceMonitor.
 */
export declare class ServiceMonitorSpec extends Model<IServiceMonitorSpec> implements IServiceMonitorSpec {
    "convertClassicHistogramsToNHCB"?: boolean;
    "nativeHistogramBucketLimit"?: number;
    "nativeHistogramMinBucketFactor"?: IIoK8sApimachineryPkgApiResourceQuantity;
    "scrapeClassicHistograms"?: boolean;
    "scrapeNativeHistograms"?: boolean;
    "attachMetadata"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1AttachMetadata;
    "bodySizeLimit"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ByteSize;
    "endpoints": Array<IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1Endpoint>;
    "fallbackScrapeProtocol"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ScrapeProtocol;
    "jobLabel"?: string;
    "keepDroppedTargets"?: number;
    "labelLimit"?: number;
    "labelNameLengthLimit"?: number;
    "labelValueLengthLimit"?: number;
    "namespaceSelector"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1NamespaceSelector;
    "podTargetLabels"?: Array<string>;
    "sampleLimit"?: number;
    "scrapeClass"?: string;
    "scrapeProtocols"?: Array<IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ScrapeProtocol>;
    "selector": IIoK8sApimachineryPkgApisMetaV1LabelSelector;
    "selectorMechanism"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1SelectorMechanism;
    "serviceDiscoveryRole"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ServiceDiscoveryRole;
    "targetLabels"?: Array<string>;
    "targetLimit"?: number;
    constructor(data?: ModelData<IServiceMonitorSpec>);
}
export type { IServiceMonitorSpec as IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ServiceMonitorSpec, ServiceMonitorSpec as ComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ServiceMonitorSpec };

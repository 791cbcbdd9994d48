import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1NativeHistogramConfig } from "./NativeHistogramConfig.js";
import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1AttachMetadata } from "./AttachMetadata.js";
import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ByteSize } from "./ByteSize.js";
import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ScrapeProtocol } from "./ScrapeProtocol.js";
import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1NamespaceSelector } from "./NamespaceSelector.js";
import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1PodMetricsEndpoint } from "./PodMetricsEndpoint.js";
import { IIoK8sApimachineryPkgApisMetaV1LabelSelector } from "@kubernetes-models/apimachinery/apis/meta/v1/LabelSelector";
import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1SelectorMechanism } from "./SelectorMechanism.js";
import { IIoK8sApimachineryPkgApiResourceQuantity } from "@kubernetes-models/apimachinery/api/resource/Quantity";
import { ModelData, Model } from "@kubernetes-models/base";
/**
 * PodMonitorSpec contains specification parameters for a PodMonitor.
 */
export interface IPodMonitorSpec extends IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1NativeHistogramConfig {
    /**
     * attachMetadata defines additional metadata which is added to the
     * discovered targets.
     *
     * It requires Prometheus >= v2.35.0.
     */
    "attachMetadata"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1AttachMetadata;
    /**
     * bodySizeLimit when defined specifies a job level limit on the size
     * of uncompressed response body that will be accepted by Prometheus.
     *
     * It requires Prometheus >= v2.28.0.
     */
    "bodySizeLimit"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ByteSize;
    /**
     * fallbackScrapeProtocol defines the protocol to use if a scrape returns blank, unparseable, or otherwise invalid Content-Type.
     *
     * It requires Prometheus >= v3.0.0.
     */
    "fallbackScrapeProtocol"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ScrapeProtocol;
    /**
     * jobLabel defines the label to use to retrieve the job name from.
     * `jobLabel` selects the label from the associated Kubernetes `Pod`
     * object which will be used as the `job` label for all metrics.
     *
     * For example if `jobLabel` is set to `foo` and the Kubernetes `Pod`
     * object is labeled with `foo: bar`, then Prometheus adds the `job="bar"`
     * label to all ingested metrics.
     *
     * If the value of this field is empty, the `job` label of the metrics
     * defaults to the namespace and name of the PodMonitor object (e.g. `<namespace>/<name>`).
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
     * namespaceSelector defines in which namespace(s) Prometheus should discover the pods.
     * By default, the pods are discovered in the same namespace as the `PodMonitor` object but it is possible to select pods across different/all namespaces.
     */
    "namespaceSelector"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1NamespaceSelector;
    /**
     * podMetricsEndpoints defines how to scrape metrics from the selected pods.
     */
    "podMetricsEndpoints"?: Array<IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1PodMetricsEndpoint>;
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
     * selector defines the label selector to select the Kubernetes `Pod` objects to scrape metrics from.
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
     * targetLimit defines a limit on the number of scraped targets that will
     * be accepted.
     */
    "targetLimit"?: number;
}
/**
 * PodMonitorSpec contains specification parameters for a PodMonitor.
 */
export declare class PodMonitorSpec extends Model<IPodMonitorSpec> implements IPodMonitorSpec {
    "convertClassicHistogramsToNHCB"?: boolean;
    "nativeHistogramBucketLimit"?: number;
    "nativeHistogramMinBucketFactor"?: IIoK8sApimachineryPkgApiResourceQuantity;
    "scrapeClassicHistograms"?: boolean;
    "scrapeNativeHistograms"?: boolean;
    "attachMetadata"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1AttachMetadata;
    "bodySizeLimit"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ByteSize;
    "fallbackScrapeProtocol"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ScrapeProtocol;
    "jobLabel"?: string;
    "keepDroppedTargets"?: number;
    "labelLimit"?: number;
    "labelNameLengthLimit"?: number;
    "labelValueLengthLimit"?: number;
    "namespaceSelector"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1NamespaceSelector;
    "podMetricsEndpoints"?: Array<IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1PodMetricsEndpoint>;
    "podTargetLabels"?: Array<string>;
    "sampleLimit"?: number;
    "scrapeClass"?: string;
    "scrapeProtocols"?: Array<IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1ScrapeProtocol>;
    "selector": IIoK8sApimachineryPkgApisMetaV1LabelSelector;
    "selectorMechanism"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1SelectorMechanism;
    "targetLimit"?: number;
    constructor(data?: ModelData<IPodMonitorSpec>);
}
export type { IPodMonitorSpec as IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1PodMonitorSpec, PodMonitorSpec as ComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1PodMonitorSpec };

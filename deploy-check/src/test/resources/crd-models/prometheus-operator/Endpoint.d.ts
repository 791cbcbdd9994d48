import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1HTTPConfigWithProxyAndTLSFiles } from "./HTTPConfigWithProxyAndTLSFiles.js";
import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1Duration } from "./Duration.js";
import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1RelabelConfig } from "./RelabelConfig.js";
import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1Scheme } from "./Scheme.js";
import { IIoK8sApimachineryPkgUtilIntstrIntOrString } from "@kubernetes-models/apimachinery/util/intstr/IntOrString";
import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1SafeAuthorization } from "./SafeAuthorization.js";
import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1BasicAuth } from "./BasicAuth.js";
import { IIoK8sApiCoreV1SecretKeySelector } from "kubernetes-models/v1/SecretKeySelector";
import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1OAuth2 } from "./OAuth2.js";
import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1TLSConfig } from "./TLSConfig.js";
import { ModelData, Model } from "@kubernetes-models/base";
/**
 * Endpoint defines an endpoint serving Prometheus metrics to be scraped by
 * Prometheus.
 */
export interface IEndpoint extends IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1HTTPConfigWithProxyAndTLSFiles {
    /**
     * bearerTokenFile defines the file to read bearer token for scraping the target.
     *
     * Deprecated: use `authorization` instead.
     */
    "bearerTokenFile"?: string;
    /**
     * filterRunning when true, the pods which are not running (e.g. either in Failed or
     * Succeeded state) are dropped during the target discovery.
     *
     * If unset, the filtering is enabled.
     *
     * More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-phase
     */
    "filterRunning"?: boolean;
    /**
     * honorLabels defines when true the metric's labels when they collide
     * with the target's labels.
     */
    "honorLabels"?: boolean;
    /**
     * honorTimestamps defines whether Prometheus preserves the timestamps
     * when exposed by the target.
     */
    "honorTimestamps"?: boolean;
    /**
     * interval at which Prometheus scrapes the metrics from the target.
     *
     * If empty, Prometheus uses the global scrape interval.
     */
    "interval"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1Duration;
    /**
     * metricRelabelings defines the relabeling rules to apply to the
     * samples before ingestion.
     */
    "metricRelabelings"?: Array<IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1RelabelConfig>;
    /**
     * params define optional HTTP URL parameters.
     */
    "params"?: {
        [key: string]: Array<string>;
    };
    /**
     * path defines the HTTP path from which to scrape for metrics.
     *
     * If empty, Prometheus uses the default value (e.g. `/metrics`).
     */
    "path"?: string;
    /**
     * port defines the name of the Service port which this endpoint refers to.
     *
     * It takes precedence over `targetPort`.
     */
    "port"?: string;
    /**
     * relabelings defines the relabeling rules to apply the target's
     * metadata labels.
     *
     * The Operator automatically adds relabelings for a few standard Kubernetes fields.
     *
     * The original scrape job's name is available via the `__tmp_prometheus_job_name` label.
     *
     * More info: https://prometheus.io/docs/prometheus/latest/configuration/configuration/#relabel_config
     */
    "relabelings"?: Array<IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1RelabelConfig>;
    /**
     * scheme defines the HTTP scheme to use when scraping the metrics.
     */
    "scheme"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1Scheme;
    /**
     * scrapeTimeout defines the timeout after which Prometheus considers the scrape to be failed.
     *
     * If empty, Prometheus uses the global scrape timeout unless it is less
     * than the target's scrape interval value in which the latter is used.
     * The value cannot be greater than the scrape interval otherwise the operator will reject the resource.
     */
    "scrapeTimeout"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1Duration;
    /**
     * targetPort defines the name or number of the target port of the `Pod` object behind the
     * Service. The port must be specified with the container's port property.
     */
    "targetPort"?: IIoK8sApimachineryPkgUtilIntstrIntOrString;
    /**
     * trackTimestampsStaleness defines whether Prometheus tracks staleness of
     * the metrics that have an explicit timestamp present in scraped data.
     * Has no effect if `honorTimestamps` is false.
     *
     * It requires Prometheus >= v2.48.0.
     */
    "trackTimestampsStaleness"?: boolean;
}
/**
 * Endpoint defines an endpoint serving Prometheus metrics to be scraped by
 * Prometheus.
 */
export declare class Endpoint extends Model<IEndpoint> implements IEndpoint {
    "authorization"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1SafeAuthorization;
    "basicAuth"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1BasicAuth;
    "bearerTokenSecret"?: IIoK8sApiCoreV1SecretKeySelector;
    "enableHttp2"?: boolean;
    "followRedirects"?: boolean;
    "oauth2"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1OAuth2;
    "tlsConfig"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1TLSConfig;
    "noProxy"?: string;
    "proxyConnectHeader"?: {
        [key: string]: Array<IIoK8sApiCoreV1SecretKeySelector>;
    };
    "proxyFromEnvironment"?: boolean;
    "proxyUrl"?: string;
    "bearerTokenFile"?: string;
    "filterRunning"?: boolean;
    "honorLabels"?: boolean;
    "honorTimestamps"?: boolean;
    "interval"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1Duration;
    "metricRelabelings"?: Array<IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1RelabelConfig>;
    "params"?: {
        [key: string]: Array<string>;
    };
    "path"?: string;
    "port"?: string;
    "relabelings"?: Array<IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1RelabelConfig>;
    "scheme"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1Scheme;
    "scrapeTimeout"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1Duration;
    "targetPort"?: IIoK8sApimachineryPkgUtilIntstrIntOrString;
    "trackTimestampsStaleness"?: boolean;
    constructor(data?: ModelData<IEndpoint>);
}
export type { IEndpoint as IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1Endpoint, Endpoint as ComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1Endpoint };

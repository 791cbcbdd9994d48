import { IIoK8sApimachineryPkgUtilIntstrIntOrString } from "@kubernetes-models/apimachinery/util/intstr/IntOrString";
import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1Duration } from "./Duration.js";
import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1NonEmptyDuration } from "./NonEmptyDuration.js";
import { ModelData, Model } from "@kubernetes-models/base";
/**
 * Rule describes an alerting or recording rule
 * See Prometheus documentation: [alerting](https://www.prometheus.io/docs/prometheus/latest/configuration/alerting_rules/) or [recording](https://www.prometheus.io/docs/prometheus/latest/configuration/recording_rules/#recording-rules) rule
 */
export interface IRule {
    /**
     * alert defines the name of the alert. Must be a valid label value.
     * Only one of `record` and `alert` must be set.
     */
    "alert"?: string;
    /**
     * annotations defines annotations to add to each alert.
     * Only valid for alerting rules.
     */
    "annotations"?: {
        [key: string]: string;
    };
    /**
     * expr defines the PromQL expression to evaluate.
     */
    "expr": IIoK8sApimachineryPkgUtilIntstrIntOrString;
    /**
     * for defines how alerts are considered firing once they have been returned for this long.
     */
    "for"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1Duration;
    /**
     * keep_firing_for defines how long an alert will continue firing after the condition that triggered it has cleared.
     */
    "keep_firing_for"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1NonEmptyDuration;
    /**
     * labels defines labels to add or overwrite.
     */
    "labels"?: {
        [key: string]: string;
    };
    /**
     * record defines the name of the time series to output to. Must be a valid metric name.
     * Only one of `record` and `alert` must be set.
     */
    "record"?: string;
}
/**
 * Rule describes an alerting or recording rule
 * See Prometheus documentation: [alerting](https://www.prometheus.io/docs/prometheus/latest/configuration/alerting_rules/) or [recording](https://www.prometheus.io/docs/prometheus/latest/configuration/recording_rules/#recording-rules) rule
 */
export declare class Rule extends Model<IRule> implements IRule {
    "alert"?: string;
    "annotations"?: {
        [key: string]: string;
    };
    "expr": IIoK8sApimachineryPkgUtilIntstrIntOrString;
    "for"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1Duration;
    "keep_firing_for"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1NonEmptyDuration;
    "labels"?: {
        [key: string]: string;
    };
    "record"?: string;
    constructor(data?: ModelData<IRule>);
}
export type { IRule as IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1Rule, Rule as ComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1Rule };

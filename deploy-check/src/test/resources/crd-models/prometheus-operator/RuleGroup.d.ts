import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1Duration } from "./Duration.js";
import { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1Rule } from "./Rule.js";
import { ModelData, Model } from "@kubernetes-models/base";
/**
 * RuleGroup is a list of sequentially evaluated recording and alerting rules.
 */
export interface IRuleGroup {
    /**
     * interval defines how often rules in the group are evaluated.
     */
    "interval"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1Duration;
    /**
     * labels define the labels to add or overwrite before storing the result for its rules.
     * The labels defined at the rule level take precedence.
     *
     * It requires Prometheus >= 3.0.0.
     * The field is ignored for Thanos Ruler.
     */
    "labels"?: {
        [key: string]: string;
    };
    /**
     * limit defines the number of alerts an alerting rule and series a recording
     * rule can produce.
     * Limit is supported starting with Prometheus >= 2.31 and Thanos Ruler >= 0.24.
     */
    "limit"?: number;
    /**
     * name defines the name of the rule group.
     */
    "name": string;
    /**
     * partial_response_strategy is only used by ThanosRuler and will
     * be ignored by Prometheus instances.
     * More info: https://github.com/thanos-io/thanos/blob/main/docs/components/rule.md#partial-response
     */
    "partial_response_strategy"?: string;
    /**
     * query_offset defines the offset the rule evaluation timestamp of this particular group by the specified duration into the past.
     *
     * It requires Prometheus >= v2.53.0.
     * It is not supported for ThanosRuler.
     */
    "query_offset"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1Duration;
    /**
     * rules defines the list of alerting and recording rules.
     */
    "rules"?: Array<IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1Rule>;
}
/**
 * RuleGroup is a list of sequentially evaluated recording and alerting rules.
 */
export declare class RuleGroup extends Model<IRuleGroup> implements IRuleGroup {
    "interval"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1Duration;
    "labels"?: {
        [key: string]: string;
    };
    "limit"?: number;
    "name": string;
    "partial_response_strategy"?: string;
    "query_offset"?: IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1Duration;
    "rules"?: Array<IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1Rule>;
    constructor(data?: ModelData<IRuleGroup>);
}
export type { IRuleGroup as IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1RuleGroup, RuleGroup as ComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1RuleGroup };
